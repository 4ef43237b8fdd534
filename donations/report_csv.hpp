// The reports as CSV for Excel: UTF-8 with a byte order mark (without one Excel reads Chinese as
// the local code page), RFC 4180 quoting, CRLF line ends, amounts as plain yuan ("1234.50").
#pragma once

#include <string>

#include "donations/reports.hpp"

namespace boai::donations {

std::string reconciliation_csv(const Reconciliation& report);
std::string closeout_csv(const CloseOut& report);

// The file's name for a download: reconciliation-2026-11.csv, closeout-firstaid-2026-12-01.csv.
std::string reconciliation_file_name(const Reconciliation& report);
std::string closeout_file_name(const CloseOut& report);

}  // namespace boai::donations
