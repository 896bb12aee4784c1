// Running git plumbing commands for rule sets kept in git. git is run directly (fork + execvp)
// with its arguments as an argv array: no shell ever sees a revision or a path, so a name such
// as `HEAD; rm -rf ~` is just an unknown revision to git.
#pragma once
#include <string>
#include <vector>

namespace ratebook {

struct GitResult {
    int status = -1;    // git's exit status; -1 when git could not be run at all
    std::string out;    // stdout, byte for byte (blobs may be binary)
    std::string err;    // stderr, for messages
};

// Runs `git -C repo ARGS...` with `input` on its stdin. Never throws; a missing git binary
// gives status -1 and says so.
GitResult run_git(const std::string& repo, const std::vector<std::string>& args, const std::string& input = {});

}  // namespace ratebook
