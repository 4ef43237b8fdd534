// Nicknames kept for staff: the fold of look-alikes, the words, and the staff accounts' names.
#include "web/reserved_names.hpp"

#include <catch2/catch.hpp>

using namespace boai::web;

TEST_CASE("folding makes look-alike names the same") {
  CHECK(fold_name("HoSt") == "host");
  CHECK(fold_name("Ｈｏｓｔ") == "host");            // full-width letters
  CHECK(fold_name("h o\xE3\x80\x80s_t") == "host");  // spaces, U+3000 and marks between
  CHECK(fold_name("主持人") == "主持人");
  CHECK(fold_name("ｈｏｓｔ１") == "hosti");       // 1 and l read as i
  CHECK(fold_name("һоѕт") == "host");              // Cyrillic
  CHECK(fold_name("ΗΟΣΤ") != "host");              // Σ passes for nothing Latin
  CHECK(fold_name("Ηοst") == "host");              // Greek
  CHECK(fold_name("hóst") == "host");              // precomposed accent
  CHECK(fold_name("ho\xCC\x81st") == "host");      // combining accent
  CHECK(fold_name("h\xE2\x80\x8Bost") == "host");  // zero-width space
  CHECK(fold_name("h0st") == "host");
  CHECK(fold_name("adrnin") == fold_name("admin"));
  CHECK(fold_name("工作人員") == "工作人员");
  CHECK(fold_name("\xFFho\xE4st") == fold_name("\xFFho\xE4st"));  // broken UTF-8 still folds
}

TEST_CASE("look-alikes of staff words and staff names are reserved") {
  ReservedNames names;
  for (const char* lookalike : {"һоѕт", "Ηοst", "h0st", "ADMlN", "adm1n", "аdmin", "hоst",
                                "h\xE2\x80\x8Bost", "管理員", "紅十字志愿者", "工作人員小李"}) {
    INFO(lookalike);
    CHECK(names.reserved(lookalike));
  }
  names.set_staff({"lily"});
  CHECK(names.reserved("LILY"));
  CHECK(names.reserved("1i1y"));
  CHECK_FALSE(names.reserved("lilian"));
  CHECK_FALSE(names.reserved("ghost"));
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
