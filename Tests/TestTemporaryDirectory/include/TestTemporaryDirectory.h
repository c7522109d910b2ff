#ifndef ANNEAL_TEST_TEMPORARY_DIRECTORY_H
#define ANNEAL_TEST_TEMPORARY_DIRECTORY_H

/// The folder the test process made its TMPDIR ("" when ANNEAL_KEEP_TEST_FILES is set or it could not be made).
const char *anneal_test_temporary_root(void);

#endif
