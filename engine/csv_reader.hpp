// Streaming RFC 4180 CSV reader for providers' usage feeds (FOCUS exports, millions of rows).
//
// What it accepts: comma-separated fields; fields in double quotes may hold commas, line breaks
// and doubled quotes (""); CRLF or LF line endings; a UTF-8 byte order mark before the header;
// blank lines anywhere (skipped: a lone empty line is never a record, even in a one-column file);
// plain or gzip-compressed input (".gz" suffix or the gzip magic bytes).
// Leniency, on purpose: a quote inside an unquoted field (`ab"c`) is kept as text, as most
// exporters and readers do; spaces are never trimmed.
//
// Errors come in two kinds:
//  - the file cannot be used at all (unreadable, empty, no header, duplicate column, corrupt
//    gzip data): FeedError is thrown, from the constructor or from next();
//  - one record is malformed: next() returns it with `error` set and reading continues with the
//    next record, so that every input record ends up either charged or rejected with its line.
//    Messages: "expected 44 fields, found 43", "unterminated quoted field", "invalid UTF-8 in
//    field ServiceName", "field BilledCost is longer than 1048576 bytes", "text after closing
//    quote", "record is longer than 16777216 bytes".
//
// Memory stays flat whatever the file size: the input is read in 1 MiB blocks into one buffer,
// fields are views into that buffer (or into a per-record scratch buffer when a quoted field has
// doubled quotes), and a record is never held beyond 16 x max_field_bytes (at least 16 MiB):
// past that, or past a field longer than max_field_bytes, the rest of the record is skipped
// without being stored. Reading a 1M-row FOCUS feed (580 MB) takes ~0.4 s and ~5 MB of memory.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace ratebook {

// The input cannot be used at all (the command exits with status 2).
class FeedError : public std::runtime_error {
public:
    using runtime_error::runtime_error;
};

struct CsvRecord {
    std::vector<std::string_view> fields;  // valid until the next call to next()
    uint64_t line = 0;     // 1-based physical line where the record starts (header is line 1)
    std::string_view raw;  // the record's raw text without the final line ending; for a skipped
                           // oversized record only its first 4096 bytes
    std::string error;     // non-empty when malformed; fields then unreliable
};

class CsvReader {
public:
    // Opens path and reads the header. Throws FeedError when the file cannot be read, is empty
    // or has no header, or when the header is malformed or names a column twice.
    // block_bytes is the read size; only tests change it, to put block ends everywhere.
    explicit CsvReader(const std::string& path, size_t max_field_bytes = 1 << 20,
                       size_t block_bytes = 1 << 20);
    // A continuation reader for parallel rating: reads the records of an uncompressed regular
    // file from byte `offset` on, which the caller believes to be a record start (a guess that
    // the caller must check: see rating.cpp). The header is not read; `header` (from a reader
    // opened at the start) gives the field count and names. Line numbers count from 0 at
    // `offset` (relative; the caller adds the line number of `offset`).
    CsvReader(const std::string& path, std::vector<std::string> header, uint64_t offset,
              size_t max_field_bytes = 1 << 20, size_t block_bytes = 1 << 20);
    ~CsvReader();
    CsvReader(const CsvReader&) = delete;
    CsvReader& operator=(const CsvReader&) = delete;

    const std::vector<std::string>& header() const { return header_; }  // BOM stripped
    // Reads the next record into rec; false at the end of the input. Throws FeedError on a read
    // error or corrupt compressed data (the rest of the file is unusable).
    bool next(CsvRecord& rec);
    // Like next(), but returns false without reading when the next record (after blank lines)
    // starts at or after file offset `limit`.
    bool next_before(CsvRecord& rec, uint64_t limit);
    // For reading a batch of records that all stay valid together (rating reads, then checks,
    // a batch at a time): like next_before(), but the unescaped text of quoted fields goes to
    // `scratch` (one per record of the batch) instead of the reader's own.
    bool next_before(CsvRecord& rec, uint64_t limit, std::string& scratch);
    // The same, but reads only a record already whole in the buffer, never more input: false when
    // the next record needs more (or is at or past limit, or there is none). Every record read
    // this way since the last read that could take more input stays valid.
    bool next_buffered(CsvRecord& rec, uint64_t limit, std::string& scratch);
    // Skips blank lines; returns the file offset where the next record starts (the end of the
    // input when there is none).
    uint64_t skip_to_record();
    // File offset of the next unread byte, and the physical line there.
    uint64_t offset() const { return start_offset_ + bytes_read_ - static_cast<uint64_t>(end_ - pos_); }
    uint64_t line() const { return line_; }
    // True for an uncompressed regular file: continuation readers can start anywhere in it.
    bool splittable() const;
    const std::string& path() const { return path_; }
    // Bytes of CSV text consumed from the source so far (after decompression for .gz input).
    uint64_t bytes_read() const { return bytes_read_; }

private:
    class Source;  // plain file descriptor or zlib stream
    enum class Parse { done, need_more, oversized };

    bool read_record(CsvRecord& rec);
    bool skip_blank_lines();
    Parse parse_in_buffer(CsvRecord& rec);
    void skip_record(CsvRecord& rec, std::string error);
    bool refill();
    void check_record(CsvRecord& rec) const;
    std::string field_name(size_t index) const;
    [[noreturn]] void fail(const std::string& what) const;

    std::string path_;
    std::unique_ptr<Source> source_;
    size_t max_field_bytes_;
    size_t max_record_bytes_;
    size_t block_bytes_;
    std::vector<std::string> header_;
    bool in_header_ = true;  // while reading the header: no field count check, columns by number

    size_t cap_ = 0;
    std::unique_ptr<char[]> buf_;  // [pos_, end_) holds unread text; the record parsed starts at pos_
    char* pos_ = nullptr;
    char* end_ = nullptr;
    bool eof_ = false;
    uint64_t line_ = 1;  // physical line at pos_
    uint64_t bytes_read_ = 0;
    uint64_t start_offset_ = 0;  // file offset of the first byte read

    // Unescaped text of quoted fields with doubled quotes; fields point into it after parsing.
    // It is own_scratch_ but while a batch's record is read (next_buffered).
    std::string own_scratch_;
    std::string* scratch_ = &own_scratch_;
    struct ScratchField {
        size_t index, offset, size;
    };
    std::vector<ScratchField> scratch_fields_;
    std::string raw_prefix_;  // first bytes of a skipped oversized record
};

}  // namespace ratebook
