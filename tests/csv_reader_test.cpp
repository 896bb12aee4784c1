// Tests of the streaming CSV reader: RFC 4180 quoting, line counting, per-record errors, bounded
// memory for oversized input, gzip, and the real FOCUS sample.
#include <doctest/doctest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/csv_reader.hpp"

using ratebook::CsvReader;
using ratebook::CsvRecord;
using ratebook::FeedError;

namespace {

namespace fs = std::filesystem;

// A file in the system temp directory, removed when the test ends.
class TempFile {
public:
    explicit TempFile(const std::string& name)
        : path_(fs::temp_directory_path() /
                ("ratebook_csv_" + std::to_string(::getpid()) + "_" + name)) {}
    TempFile(const std::string& name, const std::string& content) : TempFile(name) { write(content); }
    ~TempFile() {
        std::error_code ec;
        fs::remove(path_, ec);
    }
    TempFile(const TempFile&) = delete;
    TempFile& operator=(const TempFile&) = delete;

    void write(const std::string& content) const {
        std::ofstream out(path_, std::ios::binary);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
    }
    void write_gz(const std::string& content) const {
        gzFile gz = gzopen(path_.c_str(), "wb");
        REQUIRE(gz != nullptr);
        for (size_t at = 0; at < content.size(); at += 1 << 20) {
            auto n = static_cast<unsigned>(std::min<size_t>(content.size() - at, 1 << 20));
            REQUIRE(gzwrite(gz, content.data() + at, n) == static_cast<int>(n));
        }
        REQUIRE(gzclose(gz) == Z_OK);
    }
    std::string path() const { return path_.string(); }

private:
    fs::path path_;
};

struct Row {
    std::vector<std::string> fields;
    uint64_t line = 0;
    std::string raw;
    std::string error;
};

std::vector<Row> read_all(CsvReader& reader) {
    std::vector<Row> rows;
    CsvRecord rec;
    while (reader.next(rec)) {
        Row row;
        row.fields.assign(rec.fields.begin(), rec.fields.end());
        row.line = rec.line;
        row.raw = std::string(rec.raw);
        row.error = rec.error;
        rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<Row> read_text(const std::string& name, const std::string& content, size_t max_field = 1 << 20) {
    TempFile file(name, content);
    CsvReader reader(file.path(), max_field);
    return read_all(reader);
}

std::string feed_error(const std::string& path) {
    try {
        CsvReader reader(path);
        CsvRecord rec;
        while (reader.next(rec)) {
        }
    } catch (const FeedError& e) {
        return e.what();
    }
    return "";
}

using Fields = std::vector<std::string>;

// splitmix64: a tiny deterministic generator for the randomised round-trip tests.
struct Rng {
    uint64_t state;
    uint64_t next() {
        uint64_t z = (state += 0x9E3779B97F4A7C15ull);
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
        return z ^ (z >> 31);
    }
    size_t below(size_t n) { return static_cast<size_t>(next() % n); }
};

// Random records exercising every quoting rule, with the expected fields, lines and raw text.
struct Generated {
    std::string text;
    std::vector<Row> rows;
};

Generated generate(uint64_t seed, size_t records, size_t columns) {
    Rng rng{seed};
    Generated g;
    uint64_t line = 1;
    auto emit = [&](const std::vector<std::string>& fields, bool header) {
        std::string raw;
        uint64_t breaks = 0;
        for (size_t c = 0; c < fields.size(); ++c) {
            if (c) raw += ',';
            const std::string& f = fields[c];
            bool quote = f.find_first_of(",\"\n\r") != std::string::npos || (!header && rng.below(4) == 0);
            if (!quote) {
                raw += f;
                continue;
            }
            raw += '"';
            for (char ch : f) {
                if (ch == '"') raw += '"';
                if (ch == '\n') ++breaks;
                raw += ch;
            }
            raw += '"';
        }
        if (!header) g.rows.push_back(Row{fields, line, raw, ""});
        line += breaks + 1;
        g.text += raw;
        g.text += rng.below(3) == 0 ? "\r\n" : "\n";
        if (rng.below(50) == 0) {  // blank lines between records
            g.text += rng.below(2) ? "\n" : "\r\n";
            ++line;
        }
    };
    std::vector<std::string> header;
    for (size_t c = 0; c < columns; ++c) header.push_back("col" + std::to_string(c));
    emit(header, true);
    static const char* pieces[] = {"a", "Compute", "0.0000008", ",", "\"", "\n", "\r\n", " ", "é", "日本", "x\"y",
                                   "{\"cost-center\":\"CC-0042\"}", "NULL", "2024-10-01 00:00:00"};
    for (size_t r = 0; r < records; ++r) {
        std::vector<std::string> fields;
        for (size_t c = 0; c < columns; ++c) {
            std::string f;
            size_t parts = rng.below(6);
            if (rng.below(20) == 0) parts = 40 + rng.below(200);  // occasionally long fields
            for (size_t k = 0; k < parts; ++k) f += pieces[rng.below(std::size(pieces))];
            fields.push_back(f);
        }
        // A lone empty field cannot be told from a blank line: keep one-column records non-empty.
        if (columns == 1 && fields[0].empty()) fields[0] = "z";
        emit(fields, false);
    }
    return g;
}

// Compares whole files record by record; reports the first difference only.
void check_same(const std::vector<Row>& got, const std::vector<Row>& want) {
    REQUIRE(got.size() == want.size());
    size_t first_bad = got.size();
    for (size_t i = 0; i < got.size() && first_bad == got.size(); ++i) {
        if (got[i].error != "" || got[i].line != want[i].line || got[i].fields != want[i].fields ||
            got[i].raw != want[i].raw)
            first_bad = i;
    }
    if (first_bad == got.size()) return;
    const Row& g = got[first_bad];
    const Row& w = want[first_bad];
    INFO("first difference at record " << first_bad << ", expected on line " << w.line);
    CHECK(g.error == "");
    CHECK(g.line == w.line);
    CHECK(g.fields == w.fields);
    CHECK(g.raw == w.raw);
}

}  // namespace

TEST_CASE("csv: header and records with LF endings") {
    auto rows = read_text("lf.csv", "a,b,c\n1,2,3\nx,,z\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"1", "2", "3"});
    CHECK(rows[0].line == 2);
    CHECK(rows[0].raw == "1,2,3");
    CHECK(rows[1].fields == Fields{"x", "", "z"});
    CHECK(rows[1].line == 3);
}

TEST_CASE("csv: CRLF endings are not part of fields or raw") {
    TempFile file("crlf.csv", "a,b\r\n1,2\r\n\"q\",4\r\n");
    CsvReader reader(file.path());
    CHECK(reader.header() == Fields{"a", "b"});
    auto rows = read_all(reader);
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"1", "2"});
    CHECK(rows[0].raw == "1,2");
    CHECK(rows[1].fields == Fields{"q", "4"});
    CHECK(rows[1].raw == "\"q\",4");
    CHECK(rows[1].line == 3);
}

TEST_CASE("csv: quoted fields, doubled quotes and embedded line breaks keep line numbers right") {
    auto rows = read_text("quotes.csv",
                          "name,note,n\n"
                          "\"Smith, J\",\"said \"\"hi\"\"\",1\n"
                          "\"multi\nline\r\ntext\",\"\",2\n"
                          "after,\"\"\"\",3\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].fields == Fields{"Smith, J", "said \"hi\"", "1"});
    CHECK(rows[0].line == 2);
    CHECK(rows[1].fields == Fields{"multi\nline\r\ntext", "", "2"});
    CHECK(rows[1].line == 3);
    CHECK(rows[1].raw == "\"multi\nline\r\ntext\",\"\",2");
    CHECK(rows[2].fields == Fields{"after", "\"", "3"});
    CHECK(rows[2].line == 6);
    for (const Row& r : rows) CHECK(r.error == "");
}

TEST_CASE("csv: a quote inside an unquoted field is kept as text") {
    auto rows = read_text("barequote.csv", "a,b\nab\"c,5 \"inch\"\n");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].error == "");
    CHECK(rows[0].fields == Fields{"ab\"c", "5 \"inch\""});
}

TEST_CASE("csv: the UTF-8 byte order mark is stripped from the header") {
    TempFile file("bom.csv", "\xEF\xBB\xBF\"BilledCost\",Tags\n1,2\n");
    CsvReader reader(file.path());
    CHECK(reader.header() == Fields{"BilledCost", "Tags"});
    auto rows = read_all(reader);
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].line == 2);
}

TEST_CASE("csv: blank lines are skipped and still counted") {
    auto rows = read_text("blank.csv", "\n\r\na,b\n\n1,2\r\n\r\n\n3,4\n\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"1", "2"});
    CHECK(rows[0].line == 5);
    CHECK(rows[1].fields == Fields{"3", "4"});
    CHECK(rows[1].line == 8);
}

TEST_CASE("csv: a one-column file; blank lines are never records") {
    auto rows = read_text("onecol.csv", "only\nx\n\ny\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].fields == Fields{"x"});
    CHECK(rows[1].fields == Fields{"y"});
    CHECK(rows[1].line == 4);
}

TEST_CASE("csv: the last record may lack a line ending") {
    auto rows = read_text("noeol.csv", "a,b\n1,2\n3,\"4\"");
    REQUIRE(rows.size() == 2);
    CHECK(rows[1].fields == Fields{"3", "4"});
    CHECK(rows[1].raw == "3,\"4\"");
    auto crlf = read_text("noeol2.csv", "a,b\r\n1,2\r");
    REQUIRE(crlf.size() == 1);
    CHECK(crlf[0].fields == Fields{"1", "2"});
    CHECK(crlf[0].raw == "1,2");
}

TEST_CASE("csv: a wrong field count is reported and reading continues") {
    auto rows = read_text("count.csv", "a,b,c\n1,2\n1,2,3,4\n5,6,7\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].error == "expected 3 fields, found 2");
    CHECK(rows[0].line == 2);
    CHECK(rows[1].error == "expected 3 fields, found 4");
    CHECK(rows[2].error == "");
    CHECK(rows[2].fields == Fields{"5", "6", "7"});
    CHECK(rows[2].line == 4);
}

TEST_CASE("csv: text after a closing quote is reported and reading continues") {
    auto rows = read_text("after.csv", "a,b\n\"ab\"c,1\n\"ok\",2\n\"x\" ,3\n");
    REQUIRE(rows.size() == 3);
    CHECK(rows[0].error == "text after closing quote");
    CHECK(rows[0].line == 2);
    CHECK(rows[1].error == "");
    CHECK(rows[1].fields == Fields{"ok", "2"});
    CHECK(rows[2].error == "text after closing quote");
    CHECK(rows[2].line == 4);
}

TEST_CASE("csv: an unterminated quote makes the rest of the file one bad record") {
    SUBCASE("the quote opens on the record's first line") {
        auto rows = read_text("unterminated.csv", "a,b\n1,2\n3,\"open\n4,5\n6,7\n");
        REQUIRE(rows.size() == 2);
        CHECK(rows[0].error == "");
        CHECK(rows[1].error == "unterminated quoted field");
        CHECK(rows[1].line == 3);
        CHECK(rows[1].raw == "3,\"open\n4,5\n6,7");
    }
    SUBCASE("the quote opens on a later line of a multi-line record") {
        auto rows = read_text("unterminated2.csv", "a,b,c\n\"x\ny\",\"open\n4,5\n");
        REQUIRE(rows.size() == 1);
        CHECK(rows[0].error == "unterminated quoted field (the quote opens on line 3)");
        CHECK(rows[0].line == 2);
    }
}

TEST_CASE("csv: invalid UTF-8 names the field") {
    auto rows = read_text("utf8.csv",
                          "ServiceName,Region\n"
                          "Caf\xC3\xA9 \xF0\x9F\x98\x80,\xE6\x97\xA5\n"  // valid: é, emoji, CJK
                          "Bad\xFF,x\n"
                          "ok,\xC0\xAF\n"        // overlong '/'
                          "\xED\xA0\x80,x\n"     // a UTF-16 surrogate
                          "\"q\xE6\x97\",x\n");  // truncated sequence inside quotes
    REQUIRE(rows.size() == 5);
    CHECK(rows[0].error == "");
    CHECK(rows[1].error == "invalid UTF-8 in field ServiceName");
    CHECK(rows[2].error == "invalid UTF-8 in field Region");
    CHECK(rows[3].error == "invalid UTF-8 in field ServiceName");
    CHECK(rows[4].error == "invalid UTF-8 in field ServiceName");
}

TEST_CASE("csv: a field over the size limit is reported and reading continues") {
    SUBCASE("small limit, record in one buffer") {
        auto rows = read_text("long.csv", "A,Cost\n1,123456789\n2,12345678\n3,\"1234\"\"5678\"\n", 8);
        REQUIRE(rows.size() == 3);
        CHECK(rows[0].error == "field Cost is longer than 8 bytes");
        CHECK(rows[1].error == "");
        CHECK(rows[2].error == "field Cost is longer than 8 bytes");
    }
    SUBCASE("a field of several megabytes is skipped, not buffered") {
        const std::string big(5 << 20, 'x');
        std::string quoted_big = "\"" + std::string(3 << 20, 'y') + "\n\"\"" + std::string(2 << 20, 'z') + "\"";
        std::string text = "A,B\n1," + big + "\n2,ok\n3," + quoted_big + "\n4,done\n";
        TempFile file("huge.csv", text);
        CsvReader reader(file.path());
        auto rows = read_all(reader);
        REQUIRE(rows.size() == 4);
        CHECK(rows[0].error == "field B is longer than 1048576 bytes");
        CHECK(rows[0].line == 2);
        CHECK(rows[0].raw.size() == 4096);  // only a prefix is kept
        CHECK(rows[0].fields.empty());
        CHECK(rows[1].fields == Fields{"2", "ok"});
        CHECK(rows[1].line == 3);
        CHECK(rows[2].error == "field B is longer than 1048576 bytes");
        CHECK(rows[2].line == 4);
        CHECK(rows[2].raw.size() == 4096);
        CHECK(rows[3].fields == Fields{"4", "done"});
        CHECK(rows[3].line == 6);  // the skipped quoted field held a line break
        CHECK(reader.bytes_read() == text.size());
    }
    SUBCASE("an unterminated quote over the limit is still called unterminated") {
        std::string text = "A,B\n1,2\n3,\"" + std::string(3 << 20, 'q') + "\n";
        auto rows = read_text("huge_open.csv", text);
        REQUIRE(rows.size() == 2);
        CHECK(rows[1].error == "unterminated quoted field");
        CHECK(rows[1].line == 3);
    }
}

TEST_CASE("csv: a record over the total size limit is skipped") {
    // 17 fields just under 1 MiB each: no field is too long, the record is (limit 16 MiB).
    const std::string field(1000000, 'f');
    std::string header, record;
    for (int c = 0; c < 17; ++c) {
        header += (c ? ",c" : "c") + std::to_string(c);
        record += (c ? "," : "") + field;
    }
    auto rows = read_text("widerecord.csv", header + "\n" + record + "\n" + std::string(16, ',') + "\n");
    REQUIRE(rows.size() == 2);
    CHECK(rows[0].error == "record is longer than 16777216 bytes");
    CHECK(rows[1].error == "");
    CHECK(rows[1].line == 3);
}

TEST_CASE("csv: unusable files throw FeedError with a plain message") {
    CHECK(feed_error("/nonexistent/usage.csv") ==
          "cannot open usage file '/nonexistent/usage.csv': No such file or directory");
    CHECK(feed_error(fs::temp_directory_path().string()).find("Is a directory") != std::string::npos);
    {
        TempFile empty("empty.csv", "");
        CHECK(feed_error(empty.path()) == "usage file '" + empty.path() + "' is empty: it has no header line");
    }
    {
        TempFile blank("blank_only.csv", "\xEF\xBB\xBF\n\r\n\n");
        CHECK(feed_error(blank.path()).find("has no header line") != std::string::npos);
    }
    {
        TempFile dup("dup.csv", "Id,BilledCost,Tags,BilledCost\n1,2,3,4\n");
        CHECK(feed_error(dup.path()) == "usage file '" + dup.path() +
                                            "' names column 'BilledCost' twice in its header (columns 2 and 4)");
    }
    {
        TempFile bad("badheader.csv", "a,\"b\n1,2\n");
        CHECK(feed_error(bad.path()).find("malformed header on line 1: unterminated quoted field") !=
              std::string::npos);
    }
}

TEST_CASE("csv: gzip input, by suffix or by magic bytes") {
    Generated g = generate(7, 20000, 6);
    SUBCASE(".gz suffix") {
        TempFile file("feed.csv.gz");
        file.write_gz(g.text);
        CsvReader reader(file.path());
        check_same(read_all(reader), g.rows);
        CHECK(reader.bytes_read() == g.text.size());
    }
    SUBCASE("gzip content without the suffix") {
        TempFile file("feed_gz_no_suffix.csv");
        file.write_gz(g.text);
        CsvReader reader(file.path());
        check_same(read_all(reader), g.rows);
    }
    SUBCASE("a truncated gzip file is unusable input") {
        TempFile whole("whole.csv.gz");
        whole.write_gz(g.text);
        std::ifstream in(whole.path(), std::ios::binary);
        std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        TempFile cut("cut.csv.gz", bytes.substr(0, bytes.size() / 2));
        CHECK(feed_error(cut.path()).find("corrupt or truncated gzip data") != std::string::npos);
    }
}

TEST_CASE("csv: randomised round trip across many buffer refills") {
    // Several megabytes so that records straddle the 1 MiB block boundaries at varied offsets.
    for (uint64_t seed : {1, 2, 3}) {
        Generated g = generate(seed, 25000, seed == 3 ? 1 : 9);
        INFO("seed " << seed);
        TempFile file("roundtrip" + std::to_string(seed) + ".csv", g.text);
        CsvReader reader(file.path());
        check_same(read_all(reader), g.rows);
        CHECK(reader.bytes_read() == g.text.size());
    }
}

TEST_CASE("csv: every position of a block end gives the same records") {
    // Tiny read blocks put a block end at every byte: inside quotes, between a quote and its
    // double, between CR and LF, inside a UTF-8 sequence, before and after blank lines.
    Generated g = generate(11, 300, 5);
    TempFile file("blocks.csv", g.text);
    for (size_t block : {1, 2, 3, 5, 7, 16, 31, 64, 100, 257, 1000}) {
        INFO("block " << block);
        CsvReader reader(file.path(), 1 << 20, block);
        check_same(read_all(reader), g.rows);
    }
    // Malformed records too: each block size must report the same errors on the same lines.
    const std::string bad =
        "\xEF\xBB\xBF" "a,b,c\r\n1,2\r\n\"ab\"c,2,3\n\n\"x\ny\",\xFF,3\r\n\"q\"\"\",\"\",\"\"\r\n"
        "7,8,9\r\n1,2,3,4\n\"tail\nrest\",x,\"open\nmore\n";
    TempFile bad_file("blocks_bad.csv", bad);
    CsvReader reference_reader(bad_file.path());
    const std::vector<Row> reference = read_all(reference_reader);
    REQUIRE(reference.size() == 7);
    CHECK(reference[1].error == "text after closing quote");
    CHECK(reference[2].error == "invalid UTF-8 in field b");
    CHECK(reference[6].error == "unterminated quoted field (the quote opens on line 11)");
    for (size_t block = 1; block < 40; ++block) {
        INFO("block " << block);
        CsvReader reader(bad_file.path(), 1 << 20, block);
        std::vector<Row> rows = read_all(reader);
        REQUIRE(rows.size() == reference.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            CHECK(rows[i].fields == reference[i].fields);
            CHECK(rows[i].line == reference[i].line);
            CHECK(rows[i].raw == reference[i].raw);
            CHECK(rows[i].error == reference[i].error);
        }
    }
}

TEST_CASE("csv: an over-long field cut by a block end is skipped with the same error, line and raw") {
    // With small blocks the reader sees a field pass the limit before the record is complete and
    // skips the rest unseen; the outcome must match the one seen with the whole record at hand.
    const std::string text = "a,b\r\n1,123456789\r\n\"2\n\",\"12\"\"34\n56789\"\r\n3,ok\n4,\"x\"\n";
    TempFile file("long_blocks.csv", text);
    CsvReader reference_reader(file.path(), 8);
    const std::vector<Row> reference = read_all(reference_reader);
    REQUIRE(reference.size() == 4);
    CHECK(reference[0].error == "field b is longer than 8 bytes");
    CHECK(reference[1].error == "field b is longer than 8 bytes");
    CHECK(reference[1].raw == "\"2\n\",\"12\"\"34\n56789\"");
    CHECK(reference[2].line == 6);
    for (size_t block = 1; block < 24; ++block) {
        INFO("block " << block);
        CsvReader reader(file.path(), 8, block);
        std::vector<Row> rows = read_all(reader);
        REQUIRE(rows.size() == reference.size());
        for (size_t i = 0; i < rows.size(); ++i) {
            CHECK(rows[i].line == reference[i].line);
            CHECK(rows[i].raw == reference[i].raw);
            CHECK(rows[i].error == reference[i].error);
        }
    }
}

TEST_CASE("csv: the FOCUS 1.0 sample reads cleanly") {
    const std::string path = RATEBOOK_SOURCE_DIR "/tests/data/focus-sample/focus_sample.csv";
    if (!fs::exists(path)) {
        MESSAGE("skipped: " << path << " is absent");
        return;
    }
    CsvReader reader(path);
    REQUIRE(reader.header().size() == 44);
    CHECK(reader.header().front() == "AvailabilityZone");
    CHECK(reader.header().back() == "Tags");
    CsvRecord rec;
    size_t records = 0, errors = 0;
    while (reader.next(rec)) {
        ++records;
        if (!rec.error.empty()) ++errors;
        if (records == 1) {
            CHECK(rec.line == 2);
            CHECK(rec.fields[1] == "0.00000080000");
            CHECK(rec.fields[5] == "2024-10-01 00:00:00");
            CHECK(rec.fields[43] == "NULL");
        }
        if (records == 2)
            CHECK(rec.fields[43] == R"({"application": "BrightLensMatrix", "environment": "dev", "business_unit": "ViennaAI"})");
    }
    CHECK(records == 1000);
    CHECK(errors == 0);
    CHECK(reader.bytes_read() == fs::file_size(path));
}
