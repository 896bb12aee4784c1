// Transparent huge pages for the heap of the commands that read whole months.
#pragma once

namespace ratebook::cli {

// A month's pass keeps tens of megabytes of hash tables, row fingerprints and chunk buffers that
// are touched at random; backed by 2 MB pages instead of 4 KB ones they cost far fewer page
// faults and TLB misses (1M rows, 2 threads: 1.09 s -> 0.93 s, bench/README.md). glibc reads its
// malloc tunables only when a process starts, so the command re-executes itself once with
// glibc.malloc.hugetlb=1 added to GLIBC_TUNABLES (malloc then asks the kernel for huge pages
// with madvise). Nothing changes but speed and memory layout: outputs are the same bytes.
// RATEBOOK_HUGE_PAGES=0 turns it off; if the tunable is already set, or the re-execution fails,
// the command simply goes on as it is.
void use_huge_pages(char** argv);

}  // namespace ratebook::cli
