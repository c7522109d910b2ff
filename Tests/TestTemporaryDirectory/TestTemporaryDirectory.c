// The test process's own temporary folder: before any test runs, a fresh folder under $TMPDIR (or /tmp) becomes
// TMPDIR, so every temporary file of the tests (FileManager's temporaryDirectory, and the anneal processes the
// command-line tests start, which inherit it) lands there; at the process's exit the folder is removed, so
// `swift test` leaves nothing behind (it left hundreds of megabytes of run folders a run). ANNEAL_KEEP_TEST_FILES=1
// (any value but 0) keeps them where each test makes them. A crashed or killed test process leaves its folder.
#define _XOPEN_SOURCE 700
#include "TestTemporaryDirectory.h"

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

static char root[4096];
static pid_t owner;

static int remove_entry(const char *path, const struct stat *status, int flag, struct FTW *walk) {
    (void)status;
    (void)flag;
    (void)walk;
    remove(path);
    return 0;
}

static void remove_root(void) {
    // Only the process that made it (a forked child that exits must not remove its parent's files).
    if (root[0] != 0 && getpid() == owner) nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS | FTW_MOUNT);
}

__attribute__((constructor)) static void make_root(void) {
    const char *keep = getenv("ANNEAL_KEEP_TEST_FILES");
    if (keep != NULL && keep[0] != 0 && !(keep[0] == '0' && keep[1] == 0)) return;
    const char *base = getenv("TMPDIR");
    if (base == NULL || base[0] == 0) base = "/tmp";
    if (snprintf(root, sizeof root, "%s/anneal-tests-XXXXXX", base) >= (int)sizeof root || mkdtemp(root) == NULL) {
        root[0] = 0;
        return;
    }
    // An absolute path, so a process that changes its directory (or a child started elsewhere) finds it.
    char absolute[PATH_MAX];
    if (realpath(root, absolute) == NULL || snprintf(root, sizeof root, "%s", absolute) >= (int)sizeof root) {
        rmdir(root);
        root[0] = 0;
        return;
    }
    owner = getpid();
    setenv("TMPDIR", root, 1);
    atexit(remove_root);
}

const char *anneal_test_temporary_root(void) { return root; }
