#include "solidcell/experiment/experiment_parser.hpp"
#include "solidcell/experiment/text.hpp"

#include <charconv>
#include <cmath>
#include <optional>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "solidcell/base/input_error.hpp"

namespace solidcell::experiment {

const std::string& experiment_grammar_summary() {
  static const std::string summary =
      "steps are \"Discharge|Charge at <current, C-rate or power> [for <time>] [or until <limit>]\", "
      "\"Hold at <voltage> [for <time>] [or until <current or C-rate>]\", \"Rest for <time>\", "
      "\"Drive cycle current|power from <file.csv>\"; units A, mA, W, mW, kW, V, mV, C-rates 1C, 0.5C, C/3; "
      "times in s, min, h or days; limits such as 2.5 V, 50 mA, C/50, 1 A.h; groups \"(<steps>) x N\"; "
      "steps separated by commas, semicolons or new lines (see docs/experiments.md)";
  return summary;
}

namespace {

using text::is_blank;
using text::lower;
using text::trim;

// ---- units ----------------------------------------------------------------------------------------------

enum class Measure { current, c_rate, power, voltage, capacity, resistance };

// Milli units divide by 1000 rather than multiply by 0.001, so that "50 mA" is exactly the double 0.05.
struct ElectricUnit {
  const char* name;  // lower case: keywords and units are case-insensitive, so "m" is always milli
  Measure measure;
  double multiplier;
  double divisor;
};

constexpr ElectricUnit electric_units[] = {
    {"a", Measure::current, 1, 1},        {"ma", Measure::current, 1, 1000},
    {"c", Measure::c_rate, 1, 1},         {"w", Measure::power, 1, 1},
    {"mw", Measure::power, 1, 1000},      {"kw", Measure::power, 1000, 1},
    {"v", Measure::voltage, 1, 1},        {"mv", Measure::voltage, 1, 1000},
    {"ah", Measure::capacity, 1, 1},      {"a.h", Measure::capacity, 1, 1},
    {"mah", Measure::capacity, 1, 1000},  {"ma.h", Measure::capacity, 1, 1000},
    {"ohm", Measure::resistance, 1, 1},   {"ohms", Measure::resistance, 1, 1},
    {"mohm", Measure::resistance, 1, 1000},
};

struct TimeUnit {
  const char* name;
  double seconds;
};

// PyBaMM's spellings ("m" is minutes there too), plus plurals and days for calendar ageing.
constexpr TimeUnit time_units[] = {
    {"s", 1},        {"sec", 1},         {"secs", 1},     {"second", 1},   {"seconds", 1},
    {"m", 60},       {"min", 60},        {"mins", 60},    {"minute", 60},  {"minutes", 60},
    {"h", 3600},     {"hr", 3600},       {"hrs", 3600},   {"hour", 3600},  {"hours", 3600},
    {"d", 86400},    {"day", 86400},     {"days", 86400},
};

struct Quantity {
  Measure measure;
  double value;  // SI, or C-rate; never negative
};

bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word_char(char c) { return is_letter(c) || is_digit(c) || c == '_'; }

std::string quoted(std::string_view s) { return fmt::format("\"{}\"", s); }

// ---- one step -------------------------------------------------------------------------------------------

// Reads one step's text with a cursor; every refusal names the step and says what would have been accepted.
class StepParser {
 public:
  StepParser(std::string_view text, InputLocation where)
      : text_(text), low_(lower(text)), where_(std::move(where)) {}

  Step parse() {
    Step st;
    st.text = text_;
    read_instruction(st);
    read_clauses(st);
    read_period(st);
    if (!at_end()) fail_grammar(fmt::format("unexpected \"{}\"", rest()));
    check(st);
    return st;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const { throw InputError(where_, quoted(text_), why); }
  [[noreturn]] void fail_grammar(const std::string& why) const {
    fail(fmt::format("{}; {}", why, experiment_grammar_summary()));
  }

  void skip_blanks() {
    while (pos_ < low_.size() && is_blank(low_[pos_])) ++pos_;
  }
  bool at_end() {
    skip_blanks();
    return pos_ >= low_.size();
  }
  bool peek(char c) {
    skip_blanks();
    return pos_ < low_.size() && low_[pos_] == c;
  }
  // Consumes the keyword `w` (lower case) if it is the next whole word.
  bool word(std::string_view w) {
    skip_blanks();
    if (low_.compare(pos_, w.size(), w) != 0) return false;
    size_t end = pos_ + w.size();
    if (end < low_.size() && is_word_char(low_[end])) return false;
    pos_ = end;
    return true;
  }
  // What is left, as written, for messages.
  std::string rest() {
    skip_blanks();
    return std::string(trim(std::string_view(text_).substr(pos_)));
  }
  std::string next_token() {
    skip_blanks();
    size_t end = pos_;
    while (end < text_.size() && !is_blank(text_[end])) ++end;
    return text_.substr(pos_, end - pos_);
  }

  // An unsigned number; a leading "-" is refused here so that the message can say why.
  std::optional<double> number(std::string_view negative_why) {
    skip_blanks();
    if (pos_ >= low_.size()) return std::nullopt;
    if (low_[pos_] == '-') fail(fmt::format("negative value \"{}\": {}", next_token(), negative_why));
    if (!is_digit(low_[pos_]) && low_[pos_] != '.') return std::nullopt;
    double v = 0.0;
    const char* begin = low_.data() + pos_;
    auto [end, ec] = std::from_chars(begin, low_.data() + low_.size(), v);
    if (ec == std::errc::invalid_argument) return std::nullopt;
    if (ec == std::errc::result_out_of_range || !std::isfinite(v)) {
      fail(fmt::format("number out of range \"{}\"", next_token()));
    }
    pos_ += static_cast<size_t>(end - begin);
    return v;
  }

  // Unit conversion can overflow what the number alone did not ("1e308 kW", "C/1e-320").
  double in_range(double v) const {
    if (!std::isfinite(v)) fail("number out of range");
    return v;
  }

  // A unit word: letters, and dots between letters ("A.h"). A keyword is not a unit: in "at 1 for 1 hour" the
  // unit is missing, not "for".
  std::string unit() {
    skip_blanks();
    size_t start = pos_;
    while (pos_ < low_.size() &&
           (is_letter(low_[pos_]) || (low_[pos_] == '.' && pos_ + 1 < low_.size() && is_letter(low_[pos_ + 1]) &&
                                      pos_ > start))) {
      ++pos_;
    }
    std::string u = low_.substr(start, pos_ - start);
    if (u == "for" || u == "until" || u == "or" || u == "period") {
      pos_ = start;
      return {};
    }
    return u;
  }

  // A value with its unit: "2 A", "50mA", "1C", "0.5 C", "C/3", "10 W", "4.2 V", "1 A.h". `after` is the
  // keyword before it, and `negative_why` says why a negative value is refused there.
  Quantity electric(std::string_view after, std::string_view negative_why) {
    skip_blanks();
    // PyBaMM's "C/3": a C-rate written as a fraction.
    if (pos_ < low_.size() && low_[pos_] == 'c') {
      size_t p = pos_ + 1;
      while (p < low_.size() && is_blank(low_[p])) ++p;
      if (p < low_.size() && low_[p] == '/') {
        pos_ = p + 1;
        auto d = number(negative_why);
        if (!d) fail_grammar(fmt::format("expected a number after \"C/\", e.g. \"C/3\", found \"{}\"", next_token()));
        if (*d == 0.0) fail("\"C/0\" is not a C-rate: the divisor must be greater than 0");
        return {Measure::c_rate, in_range(1.0 / *d)};
      }
    }
    auto v = number(negative_why);
    if (!v) {
      fail_grammar(fmt::format("expected a value with its unit after \"{}\", found \"{}\"", after, next_token()));
    }
    skip_blanks();
    if (pos_ < low_.size() && low_[pos_] == '%') {
      fail("percentages (e.g. \"80% SOC\") are not supported: state of charge needs the cell's capacity "
           "definition; use a voltage (2.5 V), a current (50 mA, C/50) or a charge (1 A.h)");
    }
    std::string u = unit();
    if (u.empty()) fail(fmt::format("missing unit after {}: use A, mA, C (1C, C/3), W, mW, kW, V or mV", *v));
    for (const auto& eu : electric_units) {
      if (u == eu.name) return {eu.measure, in_range(*v * eu.multiplier / eu.divisor)};
    }
    fail(fmt::format("unknown unit \"{}\": use A, mA, C (1C, C/3), W, mW, kW, V or mV, and A.h or mA.h for a "
                     "charge limit",
                     u));
  }

  // A time: "30 s", "10 minutes", "1 hour", "0.5 h", "2 days"; `what` is "duration" or "period".
  double seconds(std::string_view what) {
    auto v = number(fmt::format("a {} must be greater than 0", what));
    if (!v) {
      fail_grammar(fmt::format("expected a {} such as \"10 minutes\", found \"{}\"", what, next_token()));
    }
    std::string u = unit();
    double seconds_per_unit = 0.0;
    for (const auto& tu : time_units) {
      if (u == tu.name) seconds_per_unit = tu.seconds;
    }
    if (seconds_per_unit == 0.0) {
      fail(fmt::format("{} time unit{}: use s, sec, seconds, min, minutes, h, hours or days",
                       u.empty() ? "missing" : "unknown", u.empty() ? "" : " \"" + u + "\""));
    }
    double seconds = in_range(*v * seconds_per_unit);
    if (seconds == 0.0) fail(fmt::format("the {} must be greater than 0", what));
    return seconds;
  }

  // One "until" limit: "2.5 V", "< 2.5 V", "> 4.2 V", "C/50", "50 mA", "1 A.h".
  Termination limit() {
    skip_blanks();
    size_t start = pos_;
    Termination t;
    if (peek('<') || peek('>')) {
      t.crossing = low_[pos_] == '<' ? Termination::Crossing::falling : Termination::Crossing::rising;
      t.crossing_written = true;
      ++pos_;
    }
    Quantity q = electric("until", "limits are magnitudes, e.g. \"until 50 mA\"");
    switch (q.measure) {
      case Measure::voltage: t.quantity = Termination::Quantity::voltage; break;
      case Measure::current: t.quantity = Termination::Quantity::current; break;
      case Measure::c_rate: t.quantity = Termination::Quantity::c_rate; break;
      case Measure::capacity: t.quantity = Termination::Quantity::capacity; break;
      case Measure::power:
      case Measure::resistance:
        fail("a step can end on a voltage (2.5 V), a current (50 mA, C/50) or a charge (1 A.h), not on a power "
             "or a resistance");
    }
    if (q.value == 0.0) fail("a limit must be greater than 0");
    t.value = q.value;
    t.text = std::string(trim(std::string_view(text_).substr(start, pos_ - start)));
    return t;
  }

  void read_instruction(Step& st) {
    if (word("rest")) {
      st.kind = StepKind::rest;
    } else if (word("discharge") || word("charge")) {
      st.direction = low_.starts_with("dis") ? Direction::discharge : Direction::charge;
      const char* verb = st.direction == Direction::discharge ? "Discharge" : "Charge";
      if (!word("at")) fail_grammar(fmt::format("expected \"at\" after \"{}\", e.g. \"{} at 1C\"", verb, verb));
      Quantity q = electric("at", "give a positive magnitude (Charge or Discharge sets the sign)");
      double sign = st.direction == Direction::discharge ? 1.0 : -1.0;
      switch (q.measure) {
        case Measure::current: st.kind = StepKind::current; st.amperes = sign * q.value; break;
        case Measure::c_rate: st.kind = StepKind::c_rate; st.c_rate = sign * q.value; break;
        case Measure::power: st.kind = StepKind::power; st.watts = sign * q.value; break;
        case Measure::voltage:
          fail(fmt::format("\"{} at\" takes a current (A, mA), a C-rate (1C, C/3) or a power (W, mW, kW); a "
                           "voltage is held with \"Hold at 4.2 V until C/50\"",
                           verb));
        case Measure::capacity:
        case Measure::resistance:
          fail(fmt::format("\"{} at\" takes a current (A, mA), a C-rate (1C, C/3) or a power (W, mW, kW)", verb));
      }
      if (q.value == 0.0) {
        fail("the current or power must be greater than 0; a step without current is \"Rest for <time>\"");
      }
    } else if (word("hold")) {
      if (!word("at")) fail_grammar("expected \"at\" after \"Hold\", e.g. \"Hold at 4.2 V until C/50\"");
      Quantity q = electric("at", "the hold voltage must be greater than 0");
      if (q.measure != Measure::voltage) {
        fail("\"Hold at\" takes a voltage (V or mV), e.g. \"Hold at 4.2 V until C/50\"; currents and powers are "
             "imposed with \"Charge at\" or \"Discharge at\"");
      }
      if (q.value == 0.0) fail("the hold voltage must be greater than 0");
      st.kind = StepKind::voltage;
      st.volts = q.value;
    } else if (word("drive")) {
      if (!word("cycle")) fail_grammar("expected \"Drive cycle current from <file.csv>\"");
      if (word("current")) {
        st.drive_cycle_quantity = DriveCycleQuantity::current;
      } else if (word("power")) {
        st.drive_cycle_quantity = DriveCycleQuantity::power;
      } else {
        fail("expected \"current\" or \"power\" after \"Drive cycle\", e.g. \"Drive cycle current from us06.csv\"");
      }
      if (!word("from")) fail("expected \"from <file.csv>\", e.g. \"Drive cycle current from us06.csv\"");
      st.kind = StepKind::drive_cycle;
      st.drive_cycle_path = path();
    } else if (word("run")) {
      fail("PyBaMM's \"Run\" steps are written \"Drive cycle current from <file.csv>\" or \"Drive cycle power "
           "from <file.csv>\" here");
    } else {
      fail_grammar("not understood");
    }
  }

  // A file path, as written: one word, or anything between double quotes.
  std::string path() {
    skip_blanks();
    if (pos_ >= text_.size()) fail("missing file after \"from\", e.g. \"Drive cycle current from us06.csv\"");
    if (text_[pos_] == '"') {
      size_t close = text_.find('"', pos_ + 1);
      if (close == std::string::npos) fail("missing closing '\"' after the file name");
      std::string p = text_.substr(pos_ + 1, close - pos_ - 1);
      if (p.empty()) fail("empty file name");
      pos_ = close + 1;
      return p;
    }
    std::string p = next_token();
    pos_ += p.size();
    return p;
  }

  // [for <time>] [or] [until <limit> [or <limit>]...], in either order, joined by "or".
  void read_clauses(Step& st) {
    bool any = false;
    bool last_was_until = false;
    while (true) {
      skip_blanks();
      if (pos_ >= low_.size() || low_[pos_] == '(') return;
      bool joined = false;
      if (any) {
        if (!word("or")) {
          std::string extra = rest();
          fail_grammar(st.kind == StepKind::drive_cycle
                           ? fmt::format("unexpected \"{}\" (put a file name with blanks in double quotes)", extra)
                           : fmt::format("unexpected \"{}\"", extra));
        }
        joined = true;
      }
      if (word("for")) {
        if (st.duration_s) fail("only one \"for <time>\" per step");
        st.duration_s = seconds("duration");
        last_was_until = false;
      } else if (word("until") || (joined && last_was_until)) {
        st.terminations.push_back(limit());
        last_was_until = true;
      } else if (st.kind == StepKind::drive_cycle && !any) {
        fail_grammar(fmt::format("unexpected \"{}\" (put a file name with blanks in double quotes)", rest()));
      } else {
        fail_grammar(fmt::format("expected \"for <time>\" or \"until <limit>\"{}, found \"{}\"",
                                 joined ? " after \"or\"" : "", rest()));
      }
      any = true;
    }
  }

  // PyBaMM's output-period suffix, "(10 second period)".
  void read_period(Step& st) {
    if (!peek('(')) return;
    ++pos_;
    double p = seconds("period");
    if (!word("period") || !peek(')')) fail("expected \"(<time> period)\", e.g. \"(10 second period)\"");
    ++pos_;
    st.period_s = p;
  }

  // What needs the whole step: a way to end, and limits that make sense for what the step imposes.
  void check(Step& st) {
    if (!st.duration_s && st.terminations.empty()) {
      switch (st.kind) {
        case StepKind::drive_cycle: break;  // lasts the file's span
        case StepKind::rest: fail("a rest needs a time, e.g. \"Rest for 1 hour\"");
        case StepKind::voltage:
          fail("a hold needs \"for <time>\" or \"until <current>\", e.g. \"Hold at 4.2 V until C/50\"");
        default:
          fail("the step needs \"for <time>\" or \"until <limit>\", e.g. \"Discharge at 1C until 2.5 V\" or "
               "\"Rest for 1 hour\"");
      }
    }
    const bool current_imposed = st.kind == StepKind::current || st.kind == StepKind::c_rate ||
                                 st.kind == StepKind::rest ||
                                 (st.kind == StepKind::drive_cycle &&
                                  st.drive_cycle_quantity == DriveCycleQuantity::current);
    for (auto& t : st.terminations) {
      switch (t.quantity) {
        case Termination::Quantity::voltage:
          if (st.kind == StepKind::voltage) {
            fail("a voltage hold cannot end on a voltage; end it on a current (\"until 50 mA\", \"until C/50\"), a "
                 "charge or a time");
          }
          if (!t.crossing_written) {
            if (st.kind == StepKind::rest) {
              fail("a rest has no direction, so a voltage limit needs one: \"until < 3.0 V\" or \"until > 3.0 V\"");
            }
            // Drive cycles are net discharges: their voltage limit is a floor unless written "> V".
            t.crossing = st.direction == Direction::charge ? Termination::Crossing::rising
                                                           : Termination::Crossing::falling;
          }
          break;
        case Termination::Quantity::current:
        case Termination::Quantity::c_rate:
          if (current_imposed) {
            fail(fmt::format("this step imposes the current, so it cannot end on a current limit (\"{}\"); end it "
                             "on a voltage, a charge (A.h) or a time",
                             t.text));
          }
          if (!t.crossing_written) t.crossing = Termination::Crossing::falling;
          break;
        case Termination::Quantity::capacity:
          if (st.kind == StepKind::rest) fail("no charge passes during a rest, so it cannot end on a charge");
          if (t.crossing_written) fail("a charge limit only counts up: write it without \"<\" or \">\"");
          t.crossing = Termination::Crossing::rising;
          break;
      }
    }
  }

  std::string text_;
  std::string low_;  // text_ in lower case, same length: keywords match here, paths are taken from text_
  InputLocation where_;
  size_t pos_ = 0;
};

// ---- the whole text: steps, separators, groups ------------------------------------------------------------

struct Item {
  std::optional<Step> step;  // a step, or else a group
  std::vector<Item> children;
  long long repeat = 1;
};

constexpr long long max_repeat = 1'000'000;

bool ends_item(char c) { return c == ',' || c == ';' || c == '\n' || c == '#' || c == ')'; }

class ExperimentReader {
 public:
  ExperimentReader(const std::string& text, const std::string& source, int first_line)
      : text_(text), source_(source), line_(first_line) {}

  std::vector<Item> read() { return read_sequence(false, 0, 0); }
  int steps_read() const { return steps_; }

 private:
  [[noreturn]] void fail(int line, std::string value, std::string allowed) const {
    throw InputError(InputLocation{source_, line, "experiment"}, std::move(value), std::move(allowed));
  }
  // The text from `from` to the end of its line, shortened, for messages about the structure.
  std::string excerpt(size_t from) const {
    size_t end = text_.find('\n', from);
    std::string_view s = trim(std::string_view(text_).substr(from, end == std::string::npos ? end : end - from));
    if (s.size() > 60) return quoted(std::string(s.substr(0, 57)) + "...");
    return quoted(s);
  }

  std::vector<Item> read_sequence(bool in_group, size_t open_pos, int open_line) {
    std::vector<Item> items;
    while (true) {
      // Between items: blanks, separators and comments. Empty items (",,", a trailing comma) are ignored.
      while (pos_ < text_.size()) {
        char c = text_[pos_];
        if (c == '\n') {
          ++line_;
          ++pos_;
        } else if (is_blank(c) || c == ',' || c == ';') {
          ++pos_;
        } else if (c == '#') {
          while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
        } else {
          break;
        }
      }
      if (pos_ >= text_.size()) {
        if (in_group) fail(open_line, excerpt(open_pos), "\"(\" is never closed: a group is \"(<steps>) x N\"");
        return items;
      }
      const char c = text_[pos_];
      if (c == ')') {
        if (!in_group) fail(line_, excerpt(pos_), "\")\" without a matching \"(\"");
        ++pos_;
        return items;
      }
      if (c == '(') {
        size_t open = pos_;
        int line = line_;
        ++pos_;
        Item group;
        group.children = read_sequence(true, open, line);
        if (group.children.empty()) fail(line, excerpt(open), "empty group: a group is \"(<steps>) x N\"");
        group.repeat = read_repeat();
        items.push_back(std::move(group));
      } else {
        items.push_back(read_step());
      }
    }
  }

  // A step's text runs to the next separator, comment or unmatched ")" outside double quotes; its own
  // parentheses ("(10 second period)") stay in it.
  Item read_step() {
    size_t start = pos_;
    int depth = 0;
    bool in_quotes = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n') break;
      if (in_quotes) {
        if (c == '"') in_quotes = false;
      } else if (c == '"') {
        in_quotes = true;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        if (depth == 0) break;
        --depth;
      } else if (c == ',' || c == ';' || c == '#') {
        break;
      }
      ++pos_;
    }
    ++steps_;
    InputLocation where{source_, line_, fmt::format("experiment step {}", steps_)};
    Step st = StepParser(trim(std::string_view(text_).substr(start, pos_ - start)), std::move(where)).parse();
    st.number = steps_;
    st.line = line_;
    return Item{std::move(st), {}, 1};
  }

  // After a group's ")": nothing (once), "x N", "* N", "× N" or "repeated N times".
  long long read_repeat() {
    auto skip = [&] {
      while (pos_ < text_.size() && is_blank(text_[pos_])) ++pos_;
    };
    skip();
    const size_t start = pos_;
    auto bad = [&]() {
      fail(line_, excerpt(start),
           fmt::format("after a group write \"x N\" or \"repeated N times\" (N a whole number from 1 to {}), "
                       "then a comma, a semicolon or a new line",
                       max_repeat));
    };
    auto count = [&]() {
      skip();
      long long n = 0;
      size_t digits = 0;
      while (pos_ < text_.size() && is_digit(text_[pos_])) {
        n = n * 10 + (text_[pos_] - '0');
        if (n > max_repeat) bad();
        ++pos_;
        ++digits;
      }
      if (digits == 0 || n < 1 || (pos_ < text_.size() && (is_word_char(text_[pos_]) || text_[pos_] == '.'))) bad();
      return n;
    };
    long long n = 1;
    std::string_view rest = std::string_view(text_).substr(pos_);
    if (!rest.empty() && (rest.front() == 'x' || rest.front() == 'X' || rest.front() == '*')) {
      ++pos_;
      n = count();
    } else if (rest.starts_with("\xC3\x97")) {  // ×
      pos_ += 2;
      n = count();
    } else if (lower(rest.substr(0, 8)) == "repeated") {
      pos_ += 8;
      n = count();
      skip();
      std::string_view after = std::string_view(text_).substr(pos_);
      std::string word = lower(after.substr(0, 5));
      if (word == "times") {
        pos_ += 5;
      } else if (word.starts_with("time")) {
        pos_ += 4;
      }
    }
    skip();
    if (pos_ < text_.size() && !ends_item(text_[pos_])) bad();
    return n;
  }

  const std::string& text_;
  const std::string& source_;
  int line_;
  size_t pos_ = 0;
  int steps_ = 0;
};

// Steps after expanding repeats, in double so that nested repeats cannot overflow before the check.
double expanded_size(const std::vector<Item>& items) {
  double total = 0.0;
  for (const auto& item : items) {
    total += item.step ? 1.0 : static_cast<double>(item.repeat) * expanded_size(item.children);
  }
  return total;
}

void append_flat(const std::vector<Item>& items, int cycle, std::vector<Step>& out) {
  for (const auto& item : items) {
    if (item.step) {
      out.push_back(*item.step);
      out.back().cycle = cycle;
    } else {
      for (long long r = 0; r < item.repeat; ++r) append_flat(item.children, cycle, out);
    }
  }
}

}  // namespace

std::vector<Step> parse_experiment(const std::string& text, const std::string& source, int first_line) {
  ExperimentReader reader(text, source, first_line);
  std::vector<Item> items = reader.read();
  if (items.empty()) {
    throw InputError(InputLocation{source, first_line, "experiment"}, "\"\"", "no steps; " + experiment_grammar_summary());
  }
  double total = expanded_size(items);
  if (total > static_cast<double>(max_expanded_steps)) {
    throw InputError(InputLocation{source, first_line, "experiment"},
                     fmt::format("{:.0f} steps after expanding repeats", total),
                     fmt::format("at most {} steps", max_expanded_steps));
  }
  std::vector<Step> steps;
  steps.reserve(static_cast<size_t>(total));
  // PyBaMM's cycles: each top-level step is one, and so is each repeat of a top-level group.
  int cycle = 0;
  for (const auto& item : items) {
    if (item.step) {
      steps.push_back(*item.step);
      steps.back().cycle = ++cycle;
    } else {
      for (long long r = 0; r < item.repeat; ++r) append_flat(item.children, ++cycle, steps);
    }
  }
  return steps;
}

}  // namespace solidcell::experiment
