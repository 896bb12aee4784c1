#include "cli/huge_pages.hpp"

#include <unistd.h>

#include <cstdlib>
#include <string>
#include <string_view>

namespace ratebook::cli {

void use_huge_pages(char** argv) {
    const char* off = std::getenv("RATEBOOK_HUGE_PAGES");
    if (off && std::string_view(off) == "0") return;
    const char* current = std::getenv("GLIBC_TUNABLES");
    std::string tunables = current ? current : "";
    if (tunables.find("glibc.malloc.hugetlb") != std::string::npos) return;  // set already (by us, or the user)
    tunables += tunables.empty() ? "glibc.malloc.hugetlb=1" : ":glibc.malloc.hugetlb=1";
    // The executable's own path (not /proc/self/exe, which would rename the process "exe" in
    // ps and top).
    char self[4096];
    const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return;
    self[n] = '\0';
    if (::setenv("GLIBC_TUNABLES", tunables.c_str(), 1) != 0) return;
    ::execv(self, argv);
    // Only reached when the re-execution failed: go on without huge pages.
}

}  // namespace ratebook::cli
