#include "solidcell/base/content_hash.hpp"

#include <gtest/gtest.h>

namespace solidcell {

// Published FNV-1a 64-bit test vectors (Fowler, Noll, Vo reference implementation).
TEST(ContentHash, MatchesFnv1a64ReferenceVectors) {
  EXPECT_EQ(fnv1a64(""), 0xcbf29ce484222325ULL);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cULL);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ULL);
  EXPECT_EQ(hex64(0xaf63dc4c8601ec8cULL), "af63dc4c8601ec8c");
}

TEST(ContentHash, UnreadableFileGivesEmptyHash) { EXPECT_EQ(file_hash("/nonexistent/solidcell"), ""); }

}  // namespace solidcell
