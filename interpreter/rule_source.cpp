#include "interpreter/rule_source.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "interpreter/git_process.hpp"

namespace ratebook {
namespace {

namespace fs = std::filesystem;

std::string first_line(const std::string& text) {
    std::string s = text.substr(0, text.find('\n'));
    while (!s.empty() && (s.back() == '\r' || s.back() == ' ')) s.pop_back();
    return s;
}

std::string trim_newline(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
}

std::string without_trailing_slashes(std::string s) {
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

}  // namespace

std::string RuleSetIdentity::version() const {
    if (commit.empty()) return path + " (not in git)";
    return path + "@" + commit.substr(0, 12) + (dirty ? "+dirty" : "");
}

// ---- temporary copies ---------------------------------------------------------------------------

TempCopy::~TempCopy() {
    if (!path_.empty()) ::unlink(path_.c_str());
}

bool TempCopy::create(const std::string& bytes, const std::string& suffix) {
    std::error_code ec;
    fs::path dir = fs::temp_directory_path(ec);
    if (ec) dir = "/tmp";
    std::string templ = (dir / ("ratebook-table-XXXXXX" + suffix)).string();
    int fd = ::mkstemps(templ.data(), static_cast<int>(suffix.size()));
    if (fd < 0) return false;
    path_ = templ;
    size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n <= 0) {
            ::close(fd);
            return false;
        }
        done += static_cast<size_t>(n);
    }
    return ::close(fd) == 0;
}

// ---- a folder -----------------------------------------------------------------------------------

FolderRuleSource::FolderRuleSource(std::string dir, std::string display) : dir_(std::move(dir)) {
    display_ = without_trailing_slashes(display.empty() ? dir_ : std::move(display));
}

std::vector<std::string> FolderRuleSource::top_files() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir_, ec))
        if (entry.is_regular_file()) names.push_back(entry.path().filename().string());
    std::sort(names.begin(), names.end());
    return names;
}

SourceRead FolderRuleSource::read(const std::string& rel, size_t max_bytes) const {
    SourceRead r;
    fs::path p = fs::path(dir_) / rel;
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) return r;
    // A rule file (or ratebook.toml) that is a link to a file outside the rule set would make the
    // rules depend on something the rule set's history does not hold: refused, as tables are.
    fs::path target = fs::weakly_canonical(p, ec);
    fs::path root = fs::weakly_canonical(dir_, ec);
    if (std::mismatch(root.begin(), root.end(), target.begin(), target.end()).first != root.end()) {
        r.status = SourceRead::Status::outside;
        return r;
    }
    if (fs::file_size(p, ec) > max_bytes) {
        r.status = SourceRead::Status::too_large;
        return r;
    }
    std::ifstream in(p, std::ios::binary);
    if (!in) {
        r.status = SourceRead::Status::unreadable;
        return r;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    r.text = ss.str();
    r.status = SourceRead::Status::ok;
    return r;
}

SourceRead FolderRuleSource::local_path(const std::string& rel, TempCopy&) const {
    SourceRead r;
    fs::path full = fs::path(dir_) / rel;
    std::error_code ec;
    // Resolve every link on the way (a linked file, or a linked folder above it) and check the
    // result is still inside the rule set.
    fs::path target = fs::weakly_canonical(full, ec);
    fs::path root = fs::weakly_canonical(dir_, ec);
    if (std::mismatch(root.begin(), root.end(), target.begin(), target.end()).first != root.end()) {
        r.status = SourceRead::Status::outside;
        return r;
    }
    if (!fs::is_regular_file(full, ec)) return r;
    r.status = SourceRead::Status::ok;
    r.text = full.string();
    return r;
}

RuleSetIdentity FolderRuleSource::identity() const {
    RuleSetIdentity id;
    id.path = display_;
    GitResult head = run_git(dir_, {"rev-parse", "--verify", "--quiet", "HEAD"});
    if (head.status != 0) return id;  // not in a repository (or no git): no commit to name
    id.commit = trim_newline(head.out);
    // Any difference from HEAD inside the folder: edited, staged, deleted or untracked files.
    GitResult status = run_git(dir_, {"status", "--porcelain", "--untracked-files=all", "--", "."});
    id.dirty = status.status != 0 || !status.out.empty();
    return id;
}

// ---- a folder in a git commit -------------------------------------------------------------------

const GitTreeEntry* GitRuleSource::find(const std::string& rel) const {
    std::string key = fs::path(rel).lexically_normal().generic_string();
    auto it = std::lower_bound(entries_.begin(), entries_.end(), key,
                               [](const auto& e, const std::string& k) { return e.first < k; });
    return it != entries_.end() && it->first == key ? &it->second : nullptr;
}

std::vector<std::string> GitRuleSource::top_files() const {
    std::vector<std::string> names;
    for (const auto& [path, e] : entries_)
        if (path.find('/') == std::string::npos && (e.mode == "100644" || e.mode == "100755"))
            names.push_back(path);
    return names;
}

SourceRead GitRuleSource::read(const std::string& rel, size_t max_bytes) const {
    SourceRead r;
    const GitTreeEntry* e = find(rel);
    if (!e || e->mode == "160000") return r;
    if (e->mode == "120000") {
        // A link is stored as the text of its target; following it could leave the rule set.
        r.status = SourceRead::Status::outside;
        return r;
    }
    if (e->size > max_bytes) {
        r.status = SourceRead::Status::too_large;
        return r;
    }
    if (auto cached = blobs_.find(e->object); cached != blobs_.end()) {
        r.status = SourceRead::Status::ok;
        r.text = cached->second;
        return r;
    }
    GitResult blob = run_git(repo_, {"cat-file", "blob", e->object});
    if (blob.status != 0) {
        r.status = SourceRead::Status::unreadable;
        return r;
    }
    r.status = SourceRead::Status::ok;
    r.text = std::move(blob.out);
    return r;
}

SourceRead GitRuleSource::local_path(const std::string& rel, TempCopy& copy) const {
    SourceRead r = read(rel, size_t{1} << 31);
    if (r.status != SourceRead::Status::ok) return r;
    bool gz = rel.size() >= 3 && rel.compare(rel.size() - 3, 3, ".gz") == 0;
    if (!copy.create(r.text, gz ? ".csv.gz" : ".csv")) {
        r.status = SourceRead::Status::unreadable;
        return r;
    }
    r.text = copy.path();
    return r;
}

RuleSetIdentity GitRuleSource::identity() const {
    RuleSetIdentity id;
    id.path = display_;
    id.revision = revision_;
    id.commit = commit_;
    id.dirty = false;  // read from the commit itself: exactly the committed rules
    return id;
}

struct RuleSourceOpener {
    // Reads the rule set's files in one `git cat-file --batch` instead of one git per file.
    // Only files of rule-file size are fetched (a stray large file in the folder is read, if
    // at all, when asked for); anything the batch does not deliver is read on demand.
    static void prefetch(GitRuleSource& src) {
        constexpr size_t max_each = size_t{8} << 20, max_total = size_t{64} << 20;
        std::string ids;
        size_t total = 0;
        for (const auto& [path, e] : src.entries_)
            if ((e.mode == "100644" || e.mode == "100755") && e.size <= max_each && total + e.size <= max_total) {
                ids += e.object + "\n";
                total += e.size;
            }
        if (ids.empty()) return;
        GitResult batch = run_git(src.repo_, {"cat-file", "--batch"}, ids);
        if (batch.status != 0) return;
        // Each object: "<id> blob <size>\n<bytes>\n" (or "<id> missing\n").
        const std::string& out = batch.out;
        size_t pos = 0;
        while (pos < out.size()) {
            size_t eol = out.find('\n', pos);
            if (eol == std::string::npos) break;
            std::istringstream head(out.substr(pos, eol - pos));
            std::string id, type;
            size_t size = 0;
            head >> id >> type >> size;
            pos = eol + 1;
            if (type != "blob") continue;
            if (pos + size > out.size()) break;
            src.blobs_.emplace(id, out.substr(pos, size));
            pos += size + 1;
        }
    }

    static std::unique_ptr<RuleSource> git(const std::string& spec, size_t colon, const std::string& repo,
                                           RuleSourceError& error) {
        auto src = std::make_unique<GitRuleSource>();
        src->repo_ = repo;
        src->revision_ = spec.substr(0, colon);
        std::string path = spec.substr(colon + 1);
        while (path.rfind("./", 0) == 0) path.erase(0, 2);
        path = without_trailing_slashes(path);
        if (path == "/" || path == ".") path.clear();
        src->path_ = path;
        src->display_ = src->revision_ + ":" + path;

        GitResult where = run_git(repo, {"rev-parse", "--git-dir"});
        if (where.status != 0) {
            error = {"E0332",
                     fmt::format("`{}` is not a folder, and there is no git repository here to read `{}` from{}",
                                 spec, src->revision_,
                                 where.status < 0 ? " (git could not be run: " + first_line(where.err) + ")" : ""),
                     "--rules takes a folder, or REV:path inside the current git repository, e.g. HEAD:rules/FY2027"};
            return nullptr;
        }
        GitResult commit = src->revision_.empty()
                               ? GitResult{}
                               : run_git(repo, {"rev-parse", "--verify", "--quiet", "--end-of-options",
                                                src->revision_ + "^{commit}"});
        if (commit.status != 0) {
            error = {"E0330",
                     fmt::format("`{}` is not a folder, and `{}` is not a commit, branch or tag of this git repository",
                                 spec, src->revision_),
                     "list revisions with `git log --oneline` or `git tag`; a folder named with ':' must exist"};
            return nullptr;
        }
        src->commit_ = trim_newline(commit.out);
        fs::path p(path);
        bool bad_path = p.is_absolute();
        for (const auto& part : p)
            if (part == "..") bad_path = true;
        // `COMMIT:path` names the object at path; it must be a tree (a folder), not a file.
        GitResult tree = bad_path ? GitResult{}
                                  : run_git(repo, {"rev-parse", "--verify", "--quiet", src->commit_ + ":" + path});
        GitResult kind = tree.status == 0 ? run_git(repo, {"cat-file", "-t", trim_newline(tree.out)}) : GitResult{};
        if (tree.status != 0 || kind.status != 0 || trim_newline(kind.out) != "tree") {
            error = {"E0331",
                     fmt::format("`{}` is not a folder in {} (commit {})", path.empty() ? "/" : path,
                                 src->revision_, src->commit_.substr(0, 12)),
                     fmt::format("the path is from the top of the repository; see `git ls-tree --name-only {} -- {}`",
                                 src->revision_, fs::path(path).parent_path().generic_string() + "/")};
            return nullptr;
        }
        GitResult list = run_git(repo, {"ls-tree", "-r", "-z", "-l", trim_newline(tree.out)});
        if (list.status != 0) {
            error = {"E0332", fmt::format("git could not list {}: {}", src->display_, first_line(list.err)), ""};
            return nullptr;
        }
        // Each entry: "<mode> <type> <object> <size>\t<path>\0" (size padded; "-" for submodules).
        size_t pos = 0;
        while (pos < list.out.size()) {
            size_t end = list.out.find('\0', pos);
            if (end == std::string::npos) end = list.out.size();
            std::string rec = list.out.substr(pos, end - pos);
            pos = end + 1;
            size_t tab = rec.find('\t');
            if (tab == std::string::npos) continue;
            std::istringstream meta(rec.substr(0, tab));
            std::string mode, type, object, size;
            meta >> mode >> type >> object >> size;
            GitTreeEntry e{mode, object, 0};
            e.size = size == "-" ? 0 : std::strtoull(size.c_str(), nullptr, 10);
            src->entries_.emplace_back(rec.substr(tab + 1), std::move(e));
        }
        std::sort(src->entries_.begin(), src->entries_.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
        prefetch(*src);
        return src;
    }
};

std::unique_ptr<RuleSource> open_rule_source(const std::string& spec, RuleSourceError& error,
                                             const std::string& repo) {
    std::error_code ec;
    if (fs::is_directory(spec, ec)) return std::make_unique<FolderRuleSource>(spec);
    size_t colon = spec.find(':');
    if (colon != std::string::npos && colon > 0) return RuleSourceOpener::git(spec, colon, repo, error);
    error = {"E0310", fmt::format("rule set folder `{}` does not exist", spec),
             "pass the folder of one fiscal year, e.g. rules/FY2027, or REV:path from git, e.g. HEAD:rules/FY2027"};
    return nullptr;
}

}  // namespace ratebook
