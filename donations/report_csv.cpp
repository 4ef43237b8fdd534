#include "donations/report_csv.hpp"

#include <initializer_list>
#include <string_view>

namespace boai::donations {

namespace {

constexpr const char* kBom = "\xEF\xBB\xBF";

std::string field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) {
    return text;
  }
  std::string out = "\"";
  for (char c : text) {
    out += c == '"' ? std::string("\"\"") : std::string(1, c);
  }
  return out + "\"";
}

void line(std::string& out, std::initializer_list<std::string> fields) {
  bool first = true;
  for (const auto& f : fields) {
    out += (first ? "" : ",") + field(f);
    first = false;
  }
  out += "\r\n";
}

// Text people typed (names, contacts, titles): one that starts like a formula is opened by Excel
// as text, not run.
std::string text_cell(const std::string& text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos) {
    return "'" + text;
  }
  return text;
}

std::string yuan(Money m) {
  return m.format_plain();
}

std::string group_label(const std::string& group) {
  if (group == "fund") {
    return "基金";
  }
  if (group == "channel") {
    return "渠道";
  }
  if (group == "campaign") {
    return "活动";
  }
  return "合计";
}

void figures_line(std::string& out, const std::string& group, const std::string& key,
                  const std::string& name, const Figures& f) {
  line(out, {group, key, name, yuan(f.pledged), std::to_string(f.pledges), yuan(f.cancelled),
             yuan(f.paid), std::to_string(f.payments), yuan(f.settled), yuan(f.fees),
             yuan(f.refunded), yuan(f.corrections_received), yuan(f.spent),
             yuan(f.corrections_spent), yuan(f.outstanding)});
}

}  // namespace

std::string reconciliation_csv(const Reconciliation& r) {
  std::string out = kBom;
  line(out, {"分组", "代码", "名称", "认捐(元)", "认捐笔数", "取消(元)", "到账(元)", "到账笔数",
             "已结算(元)", "手续费(元)", "退款(元)", "更正收入(元)", "支出(元)", "更正支出(元)",
             "期末未到账(元)"});
  for (const auto& row : r.rows) {
    figures_line(out, group_label(row.group), row.key, text_cell(row.name), row.figures);
  }
  figures_line(out, group_label("total"), r.period.name, "", r.totals);
  return out;
}

std::string closeout_csv(const CloseOut& c) {
  std::string out = kBom;
  line(out, {"项目", "笔数", "金额(元)"});
  line(out, {"直播认捐", std::to_string(c.pledges), yuan(c.pledged)});
  line(out, {"已到账", std::to_string(c.paid_pledges), yuan(c.arrived)});
  line(out, {"已退款", "", yuan(c.refunded)});
  line(out, {"已取消或过期", std::to_string(c.cancelled_pledges), yuan(c.cancelled)});
  line(out, {"未到账", std::to_string(c.outstanding_pledges), yuan(c.outstanding)});
  out += "\r\n";
  line(out, {"编号", "金额(元)", "已到账(元)", "未到账(元)", "状态", "捐赠人", "联系方式"});
  for (const auto& p : c.owing) {
    line(out, {p.reference, yuan(p.amount), yuan(p.paid),
               yuan(Money::from_fen(p.amount.fen() - p.paid.fen())), p.status,
               text_cell(p.donor_name), text_cell(p.contact)});
  }
  return out;
}

std::string reconciliation_file_name(const Reconciliation& r) {
  std::string name = r.period.name;
  for (auto& c : name) {
    c = c == '.' ? '_' : c;
  }
  return "reconciliation-" + name + ".csv";
}

std::string closeout_file_name(const CloseOut& c) {
  return "closeout-" + c.campaign + "-" + day_of(c.as_of_us).name + ".csv";
}

}  // namespace boai::donations
