// Streaming CSV reader. How it stays fast and flat:
//  - one buffer, refilled in 1 MiB blocks; a record is parsed only once it is complete in the
//    buffer (a record cut by the block end is moved to the front and parsed again after the
//    refill, so fields and `raw` are always plain views and nothing is copied in the common case);
//  - the scan is memchr-driven: the next line break once per record, then the next comma per
//    unquoted field (bounded by that line break) or the next quote per quoted field;
//  - UTF-8 is validated per field only when the record is not pure ASCII (checked 8 bytes a step).
#include "engine/csv_reader.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <system_error>
#include <unordered_map>

#include <fmt/format.h>

namespace ratebook {

namespace {

constexpr size_t raw_keep = 4096;                  // bytes of a skipped record kept for `raw`
constexpr size_t min_record_limit = size_t{16} << 20;

std::string errno_text(int err) { return std::error_code(err, std::generic_category()).message(); }

// Position of the first c in [p, end), or end.
inline const char* find_byte(const char* p, const char* end, char c) {
    const void* hit = std::memchr(p, c, static_cast<size_t>(end - p));
    return hit ? static_cast<const char*>(hit) : end;
}

bool is_ascii(std::string_view s) {
    const char* p = s.data();
    const char* end = p + s.size();
    uint64_t acc = 0;
    for (; end - p >= 8; p += 8) {
        uint64_t word;
        std::memcpy(&word, p, 8);
        acc |= word;
    }
    for (; p < end; ++p) acc |= static_cast<unsigned char>(*p);
    return (acc & 0x8080808080808080ull) == 0;
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above U+10FFFF.
bool is_valid_utf8(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const auto* end = p + s.size();
    while (p < end) {
        unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra;
        unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
        if (c >= 0xC2 && c <= 0xDF) {
            extra = 1;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2;
            if (c == 0xE0) lo = 0xA0;  // overlong
            if (c == 0xED) hi = 0x9F;  // surrogates
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3;
            if (c == 0xF0) lo = 0x90;  // overlong
            if (c == 0xF4) hi = 0x8F;  // above U+10FFFF
        } else {
            return false;
        }
        if (end - p <= extra) return false;
        if (p[1] < lo || p[1] > hi) return false;
        for (int k = 2; k <= extra; ++k)
            if ((p[k] & 0xC0) != 0x80) return false;
        p += extra + 1;
    }
    return true;
}

bool has_gz_suffix(const std::string& path) {
    return path.size() >= 3 && path.compare(path.size() - 3, 3, ".gz") == 0;
}

}  // namespace

// The byte source: a file descriptor read directly, or a zlib stream over it.
class CsvReader::Source {
public:
    explicit Source(const std::string& path, uint64_t offset = 0) : path_(path) {
        fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
        if (fd_ < 0) throw FeedError(fmt::format("cannot open usage file '{}': {}", path, errno_text(errno)));
        struct stat st {};
        if (::fstat(fd_, &st) != 0 || S_ISDIR(st.st_mode)) {
            int err = S_ISDIR(st.st_mode) ? EISDIR : errno;
            ::close(fd_);
            throw FeedError(fmt::format("cannot open usage file '{}': {}", path, errno_text(err)));
        }
        // The magic bytes are peeked with pread so a regular file is not consumed; a pipe can
        // only be recognised by its name.
        bool gz = has_gz_suffix(path);
        unsigned char magic[2] = {0, 0};
        if (!gz && S_ISREG(st.st_mode) && ::pread(fd_, magic, 2, 0) == 2)
            gz = magic[0] == 0x1f && magic[1] == 0x8b;
        if (gz) {
            gz_ = gzdopen(fd_, "rb");
            if (!gz_) {
                ::close(fd_);
                throw FeedError(fmt::format("cannot open usage file '{}': out of memory", path));
            }
            fd_ = -1;                 // owned by gz_ now
            gzbuffer(gz_, 1u << 18);  // fewer, larger reads of the compressed file
        }
        regular_ = S_ISREG(st.st_mode);
        if (offset != 0) {
            // Only rating.cpp asks for an offset, and only after splittable() said yes.
            if (gz_ || !regular_ || ::lseek(fd_, static_cast<off_t>(offset), SEEK_SET) < 0) {
                if (gz_) gzclose(gz_);
                else ::close(fd_);
                throw FeedError(fmt::format("cannot seek in usage file '{}'", path));
            }
        }
    }
    bool splittable() const { return !gz_ && regular_; }
    ~Source() {
        if (gz_) gzclose(gz_);
        if (fd_ >= 0) ::close(fd_);
    }
    Source(const Source&) = delete;
    Source& operator=(const Source&) = delete;

    // Reads up to n bytes; 0 only at the end of the input.
    size_t read(char* dst, size_t n) {
        if (gz_) return read_gz(dst, n);
        for (;;) {
            ssize_t got = ::read(fd_, dst, n);
            if (got >= 0) return static_cast<size_t>(got);
            if (errno != EINTR)
                throw FeedError(fmt::format("cannot read usage file '{}': {}", path_, errno_text(errno)));
        }
    }

private:
    size_t read_gz(char* dst, size_t n) {
        int got = gzread(gz_, dst, static_cast<unsigned>(std::min<size_t>(n, INT_MAX)));
        int err = Z_OK;
        const char* msg = gzerror(gz_, &err);
        // zlib reports a truncated stream as Z_BUF_ERROR once the data it could inflate is used up.
        if (got < 0 || (got == 0 && err != Z_OK)) {
            std::string why = err == Z_ERRNO ? errno_text(errno) : std::string(msg ? msg : "unknown error");
            // zlib names a stream opened with gzdopen "<fd:4>"; the file's own name is said already.
            if (why.starts_with("<fd:"))
                if (size_t colon = why.find(">: "); colon != std::string::npos) why.erase(0, colon + 3);
            throw FeedError(fmt::format("usage file '{}' has corrupt or truncated gzip data: {}", path_, why));
        }
        return static_cast<size_t>(got);
    }

    std::string path_;
    int fd_ = -1;
    gzFile gz_ = nullptr;
    bool regular_ = false;
};

CsvReader::CsvReader(const std::string& path, size_t max_field_bytes, size_t block_bytes)
    : path_(path),
      source_(std::make_unique<Source>(path)),
      max_field_bytes_(std::max<size_t>(max_field_bytes, 1)),
      max_record_bytes_(std::max(min_record_limit,
                                 max_field_bytes_ > SIZE_MAX / 16 ? SIZE_MAX : max_field_bytes_ * 16)),
      block_bytes_(std::max<size_t>(block_bytes, 1)),
      cap_(block_bytes_ + (block_bytes_ + 1) / 2),
      buf_(new char[cap_]) {
    pos_ = end_ = buf_.get();
    while (end_ - pos_ < 3 && !eof_) refill();
    if (end_ - pos_ >= 3 && std::memcmp(pos_, "\xEF\xBB\xBF", 3) == 0) pos_ += 3;

    CsvRecord rec;
    if (!next(rec)) fail(fmt::format("usage file '{}' is empty: it has no header line", path));
    if (!rec.error.empty())
        fail(fmt::format("usage file '{}' has a malformed header on line {}: {}", path, rec.line, rec.error));
    header_.assign(rec.fields.begin(), rec.fields.end());
    std::unordered_map<std::string_view, size_t> seen;
    for (size_t i = 0; i < header_.size(); ++i) {
        auto [it, fresh] = seen.emplace(header_[i], i);
        if (!fresh)
            fail(fmt::format("usage file '{}' names column '{}' twice in its header (columns {} and {})",
                             path, header_[i], it->second + 1, i + 1));
    }
    in_header_ = false;
}

CsvReader::CsvReader(const std::string& path, std::vector<std::string> header, uint64_t offset,
                     size_t max_field_bytes, size_t block_bytes)
    : path_(path),
      source_(std::make_unique<Source>(path, offset)),
      max_field_bytes_(std::max<size_t>(max_field_bytes, 1)),
      max_record_bytes_(std::max(min_record_limit,
                                 max_field_bytes_ > SIZE_MAX / 16 ? SIZE_MAX : max_field_bytes_ * 16)),
      block_bytes_(std::max<size_t>(block_bytes, 1)),
      header_(std::move(header)),
      in_header_(false),
      cap_(block_bytes_ + (block_bytes_ + 1) / 2),
      buf_(new char[cap_]),
      line_(0),
      start_offset_(offset) {
    pos_ = end_ = buf_.get();
}

CsvReader::~CsvReader() = default;

bool CsvReader::splittable() const { return source_->splittable(); }

bool CsvReader::next_before(CsvRecord& rec, uint64_t limit) {
    if (!skip_blank_lines() || offset() >= limit) return false;
    return next(rec);
}

bool CsvReader::next_before(CsvRecord& rec, uint64_t limit, std::string& scratch) {
    scratch_ = &scratch;
    struct Restore {
        CsvReader& r;
        ~Restore() { r.scratch_ = &r.own_scratch_; }
    } restore{*this};
    return next_before(rec, limit);
}

bool CsvReader::next_buffered(CsvRecord& rec, uint64_t limit, std::string& scratch) {
    // Blank lines, without reading on: a CR at the buffer's end may be half a CRLF.
    while (pos_ < end_ && (*pos_ == '\n' || (*pos_ == '\r' && pos_ + 1 < end_ && pos_[1] == '\n'))) {
        pos_ += *pos_ == '\n' ? 1 : 2;
        ++line_;
    }
    if (pos_ == end_ || *pos_ == '\r' || offset() >= limit) return false;
    scratch_ = &scratch;
    const Parse parsed = parse_in_buffer(rec);
    scratch_ = &own_scratch_;
    if (parsed != Parse::done) return false;  // (nothing consumed: next_before() reads it)
    check_record(rec);
    return true;
}

uint64_t CsvReader::skip_to_record() {
    skip_blank_lines();
    return offset();
}

void CsvReader::fail(const std::string& what) const { throw FeedError(what); }

bool CsvReader::next(CsvRecord& rec) {
    if (!read_record(rec)) return false;
    check_record(rec);
    return true;
}

// Field count and UTF-8 checks, once the record's structure is known to be sound.
void CsvReader::check_record(CsvRecord& rec) const {
    if (!rec.error.empty()) return;
    if (!in_header_ && rec.fields.size() != header_.size()) {
        rec.error = fmt::format("expected {} fields, found {}", header_.size(), rec.fields.size());
        return;
    }
    if (is_ascii(rec.raw)) return;
    for (size_t i = 0; i < rec.fields.size(); ++i) {
        if (!is_valid_utf8(rec.fields[i])) {
            rec.error = "invalid UTF-8 in field " + field_name(i);
            return;
        }
    }
}

std::string CsvReader::field_name(size_t index) const {
    if (!in_header_ && index < header_.size()) return header_[index];
    return fmt::format("{}", index + 1);  // header fields, or fields beyond the header: by number
}

bool CsvReader::read_record(CsvRecord& rec) {
    for (;;) {
        if (!skip_blank_lines()) return false;
        switch (parse_in_buffer(rec)) {
            case Parse::done:
                return true;
            case Parse::oversized:
                skip_record(rec, std::move(rec.error));
                return true;
            case Parse::need_more:
                if (static_cast<size_t>(end_ - pos_) >= max_record_bytes_) {
                    skip_record(rec, fmt::format("record is longer than {} bytes", max_record_bytes_));
                    return true;
                }
                refill();
                break;
        }
    }
}

// Moves pos_ past empty lines; false when the input is exhausted.
bool CsvReader::skip_blank_lines() {
    for (;;) {
        while (pos_ < end_) {
            if (*pos_ == '\n') {
                ++pos_;
                ++line_;
            } else if (*pos_ == '\r') {
                if (pos_ + 1 == end_) {
                    if (!eof_) break;  // CR at the block end: is it CRLF? read on
                    ++pos_;            // a lone CR ending the file counts as a blank line
                } else if (pos_[1] == '\n') {
                    pos_ += 2;
                    ++line_;
                } else {
                    return true;
                }
            } else {
                return true;
            }
        }
        if (eof_ && pos_ == end_) return false;
        refill();
    }
}

// Moves unread bytes to the front of the buffer (growing it when a record fills it) and reads
// the next block behind them.
bool CsvReader::refill() {
    if (eof_) return false;
    size_t pending = static_cast<size_t>(end_ - pos_);
    if (pos_ != buf_.get()) {
        std::memmove(buf_.get(), pos_, pending);
        pos_ = buf_.get();
        end_ = pos_ + pending;
    }
    if (cap_ - pending < (block_bytes_ + 1) / 2) {
        // A record this long is already refused (read_record), so the buffer stops growing there.
        size_t cap = std::min(std::max(cap_ * 2, pending + block_bytes_), max_record_bytes_ + block_bytes_);
        std::unique_ptr<char[]> grown(new char[cap]);
        std::memcpy(grown.get(), buf_.get(), pending);
        buf_ = std::move(grown);
        cap_ = cap;
        pos_ = buf_.get();
        end_ = pos_ + pending;
    }
    size_t got = source_->read(end_, cap_ - pending);
    if (got == 0) eof_ = true;
    end_ += got;
    bytes_read_ += got;
    return got > 0;
}

// Parses the record at pos_ if it is complete in the buffer. Invariant of the loop: p is at the
// start of a field, and nl is the first line break at or after p (or end).
CsvReader::Parse CsvReader::parse_in_buffer(CsvRecord& rec) {
    const char* const start = pos_;
    const char* const end = end_;
    const char* p = start;
    const char* nl = find_byte(p, end, '\n');
    const char* record_end = end;  // the terminating '\n', or end for the last line of the file
    uint64_t inner_lines = 0;      // line breaks inside quoted fields
    rec.fields.clear();
    rec.error.clear();
    scratch_->clear();
    scratch_fields_.clear();

    auto too_long = [&](size_t size) {
        if (size > max_field_bytes_ && rec.error.empty())
            rec.error = fmt::format("field {} is longer than {} bytes", field_name(rec.fields.size()),
                                    max_field_bytes_);
    };

    for (;;) {
        if (p < end && *p == '"') {
            // quoted field: content up to the next lone quote; "" stands for one quote.
            const char* content = p + 1;
            const char* seg = content;  // start of the text not yet copied to scratch_
            const char* close;
            const size_t scratch_start = scratch_->size();
            bool escaped = false;
            for (;;) {
                close = find_byte(seg, end, '"');
                if (close == end) break;
                if (close + 1 == end && !eof_) return Parse::need_more;  // "" or closing? read on
                if (close + 1 < end && close[1] == '"') {
                    scratch_->append(seg, close + 1);
                    seg = close + 2;
                    escaped = true;
                    continue;
                }
                break;
            }
            if (close == end) {
                if (static_cast<size_t>(end - content) > max_field_bytes_) {
                    too_long(static_cast<size_t>(end - content));
                    return Parse::oversized;
                }
                if (!eof_) return Parse::need_more;
                // No closing quote before the end of the file: the rest of the file is this record.
                uint64_t open_line = line_ + inner_lines;
                rec.error = "unterminated quoted field";
                if (open_line != line_) rec.error += fmt::format(" (the quote opens on line {})", open_line);
                record_end = end[-1] == '\n' ? end - 1 : end;  // the file's final line break
                rec.fields.emplace_back(content, static_cast<size_t>(record_end - content));
                while (nl < record_end) {
                    ++inner_lines;
                    nl = find_byte(nl + 1, end, '\n');
                }
                break;
            }
            too_long(static_cast<size_t>(close - content));
            if (escaped) {
                scratch_->append(seg, close);
                scratch_fields_.push_back({rec.fields.size(), scratch_start, scratch_->size() - scratch_start});
                rec.fields.emplace_back();
            } else {
                rec.fields.emplace_back(content, static_cast<size_t>(close - content));
            }
            while (nl < close) {
                ++inner_lines;
                nl = find_byte(nl + 1, end, '\n');
            }
            p = close + 1;
            if (p == end) break;  // closing quote ends the file (need_more was ruled out above)
            if (*p == ',') {
                ++p;
                continue;
            }
            if (*p == '\n') {
                record_end = p;
                break;
            }
            if (*p == '\r') {
                if (p + 1 == end) {
                    if (!eof_) return Parse::need_more;
                    break;
                }
                if (p[1] == '\n') {
                    record_end = p + 1;
                    break;
                }
            }
            // `"ab"c`: flag it, and resynchronise at the next comma or line break.
            if (rec.error.empty()) rec.error = "text after closing quote";
            const char* comma = find_byte(p, nl, ',');
            if (comma < nl) {
                p = comma + 1;
                continue;
            }
            if (nl == end && !eof_) return Parse::need_more;
            record_end = nl;
            break;
        }
        // unquoted field: up to the next comma on this line, else to the line break.
        const char* comma = find_byte(p, nl, ',');
        if (comma < nl) {
            too_long(static_cast<size_t>(comma - p));
            rec.fields.emplace_back(p, static_cast<size_t>(comma - p));
            p = comma + 1;
            continue;
        }
        if (nl == end && !eof_) {
            if (static_cast<size_t>(end - p) > max_field_bytes_) {
                too_long(static_cast<size_t>(end - p));
                return Parse::oversized;
            }
            return Parse::need_more;
        }
        const char* field_end = nl;
        if (field_end > p && field_end[-1] == '\r') --field_end;
        too_long(static_cast<size_t>(field_end - p));
        rec.fields.emplace_back(p, static_cast<size_t>(field_end - p));
        record_end = nl;
        break;
    }

    if (static_cast<size_t>(record_end - start) > max_record_bytes_ && rec.error.empty())
        rec.error = fmt::format("record is longer than {} bytes", max_record_bytes_);
    const char* raw_end = record_end;
    if (raw_end > start && raw_end[-1] == '\r') --raw_end;
    rec.raw = std::string_view(start, static_cast<size_t>(raw_end - start));
    rec.line = line_;
    for (const ScratchField& f : scratch_fields_)
        rec.fields[f.index] = std::string_view(scratch_->data() + f.offset, f.size);
    if (record_end < end) {
        line_ += inner_lines + 1;
        pos_ = const_cast<char*>(record_end) + 1;
    } else {
        line_ += inner_lines;
        pos_ = end_;
    }
    return Parse::done;
}

// Consumes the record at pos_ without storing it (it is too large to hold), tracking quotes so
// that the record ends at the right line break. Only its first raw_keep bytes are kept.
void CsvReader::skip_record(CsvRecord& rec, std::string error) {
    enum class State { field_start, unquoted, quoted, quote_in_quoted };
    State state = State::field_start;
    rec.fields.clear();
    rec.line = line_;
    raw_prefix_.clear();
    uint64_t lines = 0, quote_line = 0, length = 0;
    bool ended = false;
    for (;;) {
        const char* p = pos_;
        for (; p < end_ && !ended; ++p) {
            char c = *p;
            switch (state) {
                case State::field_start:
                case State::unquoted:
                    if (c == '\n') {
                        ended = true;
                    } else if (c == ',') {
                        state = State::field_start;
                    } else if (c == '"' && state == State::field_start) {
                        state = State::quoted;
                        quote_line = line_ + lines;
                    } else {
                        state = State::unquoted;
                    }
                    break;
                case State::quoted:
                    if (c == '"') state = State::quote_in_quoted;
                    if (c == '\n') ++lines;
                    break;
                case State::quote_in_quoted:  // "" continues the field; anything else closed it
                    if (c == '"') {
                        state = State::quoted;
                    } else if (c == '\n') {
                        ended = true;
                    } else {
                        state = c == ',' ? State::field_start : State::unquoted;
                    }
                    break;
            }
        }
        const size_t scanned = static_cast<size_t>(p - pos_);
        raw_prefix_.append(pos_, std::min(scanned, raw_keep - raw_prefix_.size()));
        length += scanned;
        pos_ = const_cast<char*>(p);
        if (ended) {
            --length;  // the line break is not part of the record
            ++lines;
            break;
        }
        if (!refill()) break;
    }
    line_ += lines;
    if (!ended && state == State::quoted) {
        error = "unterminated quoted field";
        if (quote_line != rec.line) error += fmt::format(" (the quote opens on line {})", quote_line);
    }
    rec.error = std::move(error);
    if (raw_prefix_.size() > length) raw_prefix_.resize(length);
    if (raw_prefix_.size() == length && !raw_prefix_.empty() && raw_prefix_.back() == '\r')
        raw_prefix_.pop_back();
    rec.raw = raw_prefix_;
}

}  // namespace ratebook
