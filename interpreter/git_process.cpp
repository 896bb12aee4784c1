#include "interpreter/git_process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string_view>

extern char** environ;

namespace ratebook {

GitResult run_git(const std::string& repo, const std::vector<std::string>& args, const std::string& input) {
    GitResult result;
    // git's stdin: /dev/null, or `input` from an in-memory file (no pipe to fill and stall on,
    // no SIGPIPE if git exits early).
    int in_fd = -1;
    if (!input.empty()) {
        in_fd = ::memfd_create("ratebook-git-input", MFD_CLOEXEC);
        size_t done = 0;
        while (in_fd >= 0 && done < input.size()) {
            ssize_t n = ::write(in_fd, input.data() + done, input.size() - done);
            if (n <= 0) break;
            done += static_cast<size_t>(n);
        }
        if (in_fd < 0 || done < input.size() || ::lseek(in_fd, 0, SEEK_SET) != 0) {
            result.err = std::string("cannot run git: ") + std::strerror(errno);
            if (in_fd >= 0) ::close(in_fd);
            return result;
        }
    }
    struct CloseInput {
        int& fd;
        ~CloseInput() {
            if (fd >= 0) ::close(fd);
        }
    } close_input{in_fd};
    std::vector<std::string> argv_text = {"git", "-C", repo};
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);
    // git must not ask for anything (a pager, credentials) nor speak the user's language: its
    // messages are quoted in ours. The environment is built before fork (setenv is not safe
    // in the child of a threaded process).
    std::vector<std::string> env_text;
    for (char** e = environ; e && *e; ++e) {
        std::string_view v(*e);
        if (v.rfind("GIT_PAGER=", 0) == 0 || v.rfind("GIT_TERMINAL_PROMPT=", 0) == 0 || v.rfind("LC_ALL=", 0) == 0)
            continue;
        env_text.emplace_back(v);
    }
    env_text.insert(env_text.end(), {"GIT_PAGER=cat", "GIT_TERMINAL_PROMPT=0", "LC_ALL=C"});
    std::vector<char*> envp;
    for (auto& e : env_text) envp.push_back(e.data());
    envp.push_back(nullptr);

    int out_pipe[2], err_pipe[2];
    if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
        result.err = std::string("cannot run git: ") + std::strerror(errno);
        return result;
    }
    if (::pipe2(err_pipe, O_CLOEXEC) != 0) {
        result.err = std::string("cannot run git: ") + std::strerror(errno);
        ::close(out_pipe[0]);
        ::close(out_pipe[1]);
        return result;
    }
    pid_t pid = ::fork();
    if (pid < 0) {
        result.err = std::string("cannot run git: ") + std::strerror(errno);
        for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
        return result;
    }
    if (pid == 0) {
        // The child: only async-signal-safe calls until exec.
        int stdin_fd = in_fd >= 0 ? in_fd : ::open("/dev/null", O_RDONLY);
        if (stdin_fd >= 0) ::dup2(stdin_fd, 0);
        ::dup2(out_pipe[1], 1);
        ::dup2(err_pipe[1], 2);
        ::execvpe("git", argv.data(), envp.data());
        static const char msg[] = "git is not installed or not on PATH\n";
        [[maybe_unused]] auto n = ::write(2, msg, sizeof msg - 1);
        ::_exit(127);
    }
    ::close(out_pipe[1]);
    ::close(err_pipe[1]);
    // Read both pipes together so neither can fill up and stall git.
    pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
    std::string* sinks[2] = {&result.out, &result.err};
    int open_fds = 2;
    char buf[64 << 10];
    while (open_fds > 0) {
        if (::poll(fds, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int k = 0; k < 2; ++k) {
            if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = ::read(fds[k].fd, buf, sizeof buf);
            if (got > 0) {
                sinks[k]->append(buf, static_cast<size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                ::close(fds[k].fd);
                fds[k].fd = -1;
                --open_fds;
            }
        }
    }
    for (auto& f : fds)
        if (f.fd >= 0) ::close(f.fd);
    int raw = 0;
    while (::waitpid(pid, &raw, 0) < 0 && errno == EINTR) {
    }
    result.status = WIFEXITED(raw) ? WEXITSTATUS(raw) : -1;
    if (result.status == 127 && result.out.empty()) result.status = -1;
    return result;
}

}  // namespace ratebook
