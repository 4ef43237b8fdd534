// Nicknames kept for staff: the fold of look-alikes, the words, and the staff accounts' names.
#include "web/reserved_names.hpp"

#include <catch2/catch.hpp>

using namespace boai::web;

TEST_CASE("folding makes look-alike names the same") {
  CHECK(fold_name("HoSt") == "host");
  CHECK(fold_name("Ｈｏｓｔ") == "host");            // full-width letters
  CHECK(fold_name("h o\xE3\x80\x80s_t") == "host");  // spaces, U+3000 and marks between
  CHECK(fold_name("主持人") == "主持人");
  CHECK(fold_name("ｈｏｓｔ１") == "host1");
}

TEST_CASE("staff words and staff accounts are reserved, other names are not") {
  ReservedNames names;
  CHECK(names.reserved("host"));
  CHECK(names.reserved("ＡＤＭＩＮ"));
  CHECK(names.reserved("主持人小王"));
  CHECK(names.reserved("红十字会工作人员"));
  CHECK_FALSE(names.reserved("ghost"));
  CHECK_FALSE(names.reserved("小明"));
  CHECK_FALSE(names.reserved("王主播"));
  names.set_staff({"王主播", "Host1"});
  CHECK(names.reserved("王主播"));
  CHECK(names.reserved("ＨＯＳＴ1"));
  CHECK_FALSE(names.reserved("小明"));
}
