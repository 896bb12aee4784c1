#include "interpreter/stdlib_use.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "grammar/parser.hpp"

#ifndef RATEBOOK_STDLIB_DIR
#define RATEBOOK_STDLIB_DIR "stdlib"
#endif

namespace ratebook {
namespace {

namespace fs = std::filesystem;

constexpr size_t max_library_bytes = 8u << 20;  // as for a rule file

std::string installed_root() {
    char buf[PATH_MAX];
    ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return {};
    buf[n] = '\0';
    return (fs::path(buf).parent_path().parent_path() / "share" / "ratebook" / "stdlib").string();
}

// Empty when the path is acceptable; otherwise why not.
std::string refuse(const std::string& path) {
    if (path.empty()) return "the library name is empty";
    if (path.ends_with(".rules")) return "the library name is written without `.rules`";
    if (path[0] == '/' || path[0] == '\\' || (path.size() > 1 && path[1] == ':'))
        return "a library is named relative to the standard rules folder, not by an absolute path";
    size_t start = 0;
    for (;;) {
        size_t end = path.find('/', start);
        std::string part = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
        if (part == "..") return "`..` would leave the standard rules folder";
        if (part.empty() || part == ".") return "the library name has an empty or `.` part";
        for (char c : part)
            if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'))
                return fmt::format("`{}` is not allowed in a library name", c);
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return {};
}

// Libraries there are, for the hint when a name is wrong: "sla/aws_compute", ...
std::vector<std::string> available(const fs::path& root) {
    std::vector<std::string> names;
    std::error_code ec;
    for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec))
        if (it->is_regular_file() && it->path().extension() == ".rules") {
            std::string rel = fs::relative(it->path(), root, ec).replace_extension().generic_string();
            names.push_back(rel);
        }
    std::sort(names.begin(), names.end());
    return names;
}

}  // namespace

std::string stdlib_root() {
    std::error_code ec;
    if (const char* env = std::getenv("RATEBOOK_STDLIB"); env && *env) return env;
    if (std::string installed = installed_root(); !installed.empty() && fs::is_directory(installed, ec))
        return installed;
    return RATEBOOK_STDLIB_DIR;
}

std::vector<Module> load_used_libraries(const std::vector<Module>& modules, Diagnostics& diags) {
    std::vector<Module> libraries;
    std::set<std::string> seen;
    const fs::path root = stdlib_root();
    // Breadth first over the `use` lines: the folder's files, then the libraries' own.
    std::vector<UseDecl> pending;
    for (const Module& m : modules)
        for (const UseDecl& u : m.uses) pending.push_back(u);
    for (size_t i = 0; i < pending.size(); ++i) {
        const UseDecl u = pending[i];
        if (std::string why = refuse(u.path); !why.empty()) {
            diags.error("E0350", u.span, fmt::format("cannot use \"{}\": {}", u.path, why),
                        "name a library of the standard rules, as in `use \"sla/aws_compute\"`");
            continue;
        }
        if (!seen.insert(u.path).second) continue;
        fs::path file = root / (u.path + ".rules");
        std::error_code ec;
        std::ifstream in(file, std::ios::binary);
        if (!fs::is_regular_file(file, ec) || !in) {
            auto names = available(root);
            std::string guess = closest_name(u.path, names);
            diags.error("E0351", u.span, fmt::format("there is no library \"{}\" in the standard rules", u.path),
                        !guess.empty() ? fmt::format("did you mean \"{}\"?", guess)
                        : names.empty() ? fmt::format("no libraries were found in {}", root.string())
                                        : fmt::format("the libraries are: {}", fmt::join(names, ", ")));
            continue;
        }
        if (fs::file_size(file, ec) > max_library_bytes) {
            diags.error("E0351", u.span, fmt::format("library \"{}\" is larger than the 8 MiB limit", u.path));
            continue;
        }
        std::ostringstream text;
        text << in.rdbuf();
        libraries.push_back(parse_rules(make_source("stdlib/" + u.path + ".rules", text.str()), diags));
        for (const UseDecl& inner : libraries.back().uses) pending.push_back(inner);  // a library may use others
    }
    return libraries;
}

}  // namespace ratebook
