// Where a rule set's files come from: a folder on disk, or a folder inside a git commit read
// straight from the object store (`--rules HEAD~1:rules/FY2027`, no checkout). The loader reads
// ratebook.toml, *.rules and tables only through this interface, so both kinds are checked,
// compiled and named in diagnostics the same way.
#pragma once
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace ratebook {

// Which version of the rules produced a charge: stamped on every output.
struct RuleSetIdentity {
    std::string path;      // as given: "rules/FY2027" or "HEAD~1:rules/FY2027"
    std::string revision;  // git rule sets: the revision as given ("HEAD~1"); empty for a folder
    std::string commit;    // full commit id the rules come from (a folder: its repository's HEAD);
                           // empty when the folder is not in a git repository
    bool dirty = false;    // a folder only: its files differ from `commit` (edited or untracked)

    // One cell for a CSV line: "rules/FY2027@1c54a84c0d1e", "...+dirty", "... (not in git)".
    std::string version() const;
};

// One file's bytes, or why not.
struct SourceRead {
    enum class Status { ok, missing, outside, too_large, unreadable };
    Status status = Status::missing;
    std::string text;
};

// A private temporary copy of a file (a table read from git, for the CSV reader); removed when
// this goes out of scope.
class TempCopy {
public:
    TempCopy() = default;
    TempCopy(const TempCopy&) = delete;
    TempCopy& operator=(const TempCopy&) = delete;
    ~TempCopy();
    // Writes `bytes` to a new temporary file whose name ends in `suffix`; false on failure.
    bool create(const std::string& bytes, const std::string& suffix);
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

class RuleSource {
public:
    virtual ~RuleSource() = default;
    // The prefix of file names in diagnostics: "rules/FY2027" or "HEAD~1:rules/FY2027".
    const std::string& display() const { return display_; }
    // Names of the regular files directly in the rule set folder, sorted.
    virtual std::vector<std::string> top_files() const = 0;
    // Reads `rel` (a relative path without `..`, already checked by the caller).
    virtual SourceRead read(const std::string& rel, size_t max_bytes) const = 0;
    // A path the CSV reader can open for `rel`: the file itself, or a temporary copy kept in
    // `copy`. Fails with `outside` when a link leads out of the rule set.
    virtual SourceRead local_path(const std::string& rel, TempCopy& copy) const = 0;
    virtual RuleSetIdentity identity() const = 0;

protected:
    std::string display_;
};

class FolderRuleSource : public RuleSource {
public:
    // `display` defaults to `dir` without trailing slashes.
    explicit FolderRuleSource(std::string dir, std::string display = {});
    std::vector<std::string> top_files() const override;
    SourceRead read(const std::string& rel, size_t max_bytes) const override;
    SourceRead local_path(const std::string& rel, TempCopy& copy) const override;
    RuleSetIdentity identity() const override;
    const std::string& dir() const { return dir_; }

private:
    std::string dir_;
};

struct GitTreeEntry {
    std::string mode;  // "100644", "100755", "120000" (a link), "160000" (a submodule)
    std::string object;
    size_t size = 0;
};

class GitRuleSource : public RuleSource {
public:
    std::vector<std::string> top_files() const override;
    SourceRead read(const std::string& rel, size_t max_bytes) const override;
    SourceRead local_path(const std::string& rel, TempCopy& copy) const override;
    RuleSetIdentity identity() const override;

private:
    friend struct RuleSourceOpener;
    std::string repo_, revision_, path_, commit_;
    std::vector<std::pair<std::string, GitTreeEntry>> entries_;  // sorted by path (relative)
    std::unordered_map<std::string, std::string> blobs_;  // object -> bytes, read in one batch
    const GitTreeEntry* find(const std::string& rel) const;
};

// Why a --rules argument could not be opened: a diagnostic code, message and hint.
struct RuleSourceError {
    std::string code, message, hint;
};

// Opens a --rules argument. An existing folder always wins, so a folder whose name contains
// ':' still works; otherwise `REV:path` names a folder inside a commit of the git repository
// at `repo` (path from the repository's top, as in `git show REV:path`). nullptr with `error`
// set when it is neither.
std::unique_ptr<RuleSource> open_rule_source(const std::string& spec, RuleSourceError& error,
                                             const std::string& repo = ".");

}  // namespace ratebook
