// read_baseline: the practical limit for `ratebook rate` on a feed: read the file with the same
// CsvReader and split every record into fields, nothing else (fields are touched so the work
// cannot be skipped). With --threads 2 the file is cut at line breaks near equal offsets and
// each part read by its own continuation reader, as rating does (no boundary check: the bench
// feeds have no line breaks inside quoted fields).
//
//   read_baseline FILE [--threads N]
//
// Prints one line: rows, bytes, seconds, rows/s, MB/s, peak RSS.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "engine/csv_reader.hpp"

using namespace ratebook;

namespace {

struct Part {
    uint64_t rows = 0, field_bytes = 0;
};

void read_part(const std::string& path, const std::vector<std::string>& header, uint64_t start, uint64_t limit,
               Part& part) {
    std::unique_ptr<CsvReader> reader =
        start == 0 ? std::make_unique<CsvReader>(path) : std::make_unique<CsvReader>(path, header, start);
    CsvRecord rec;
    while (reader->next_before(rec, limit)) {
        ++part.rows;
        for (std::string_view f : rec.fields) part.field_bytes += f.size();
    }
}

}  // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: read_baseline FILE [--threads N]\n");
        return 2;
    }
    std::string path = argv[1];
    unsigned threads = 1;
    for (int i = 2; i + 1 < argc; ++i)
        if (std::strcmp(argv[i], "--threads") == 0) threads = static_cast<unsigned>(std::atoi(argv[i + 1]));
    auto t0 = std::chrono::steady_clock::now();
    std::vector<std::string> header;
    uint64_t data_start = 0;
    {
        CsvReader probe(path);
        header = probe.header();
        data_start = probe.offset();
    }
    struct stat st {};
    ::stat(path.c_str(), &st);
    const uint64_t size = static_cast<uint64_t>(st.st_size);
    std::vector<uint64_t> starts{0};
    int fd = ::open(path.c_str(), O_RDONLY);
    for (unsigned t = 1; t < threads; ++t) {
        uint64_t at = data_start + (size - data_start) * t / threads;
        char buf[1 << 16];
        ssize_t got = ::pread(fd, buf, sizeof buf, static_cast<off_t>(at));
        const void* nl = got > 0 ? std::memchr(buf, '\n', static_cast<size_t>(got)) : nullptr;
        if (nl) starts.push_back(at + static_cast<uint64_t>(static_cast<const char*>(nl) - buf) + 1);
    }
    ::close(fd);
    std::vector<Part> parts(starts.size());
    std::vector<std::thread> pool;
    for (size_t k = 0; k < starts.size(); ++k) {
        uint64_t limit = k + 1 < starts.size() ? starts[k + 1] : UINT64_MAX;
        pool.emplace_back([&, k, limit] { read_part(path, header, starts[k], limit, parts[k]); });
    }
    for (auto& t : pool) t.join();
    // Wall-clock timing for the report only; no money or quantity passes through a double.
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    uint64_t rows = 0, field_bytes = 0;
    for (const Part& p : parts) rows += p.rows, field_bytes += p.field_bytes;
    struct rusage ru {};
    ::getrusage(RUSAGE_SELF, &ru);
    std::printf("rows %llu bytes %llu field_bytes %llu seconds %.3f rows/s %.0f MB/s %.1f peak_rss_kb %ld\n",
                static_cast<unsigned long long>(rows), static_cast<unsigned long long>(size),
                static_cast<unsigned long long>(field_bytes), seconds, rows / seconds, size / seconds / 1e6,
                ru.ru_maxrss);
    return 0;
}
