#include "rules/lexer.h"

#include <cctype>

#include "rules/errors.h"

namespace sanad::rules {
namespace {

class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool Done() const { return i_ >= s_.size(); }
  char Peek(std::size_t ahead = 0) const { return i_ + ahead < s_.size() ? s_[i_ + ahead] : '\0'; }
  Pos Where() const { return pos_; }
  char Next() {
    const char c = s_[i_++];
    if (c == '\n') {
      ++pos_.line;
      pos_.column = 1;
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++pos_.column;  // continuation bytes of a UTF-8 character do not move the column
    }
    return c;
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  Pos pos_;
};

bool IsIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool IsIdentChar(char c) { return IsIdentStart(c) || std::isdigit(static_cast<unsigned char>(c)) != 0; }
bool IsDigit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

}  // namespace

Result<std::vector<Token>> Tokenize(std::string_view source) {
  std::vector<Token> out;
  Cursor c(source);
  while (true) {
    while (!c.Done() && (c.Peek() == ' ' || c.Peek() == '\t' || c.Peek() == '\n' || c.Peek() == '\r')) c.Next();
    if (!c.Done() && c.Peek() == '#') {  // a comment runs to the end of the line
      while (!c.Done() && c.Peek() != '\n') c.Next();
      continue;
    }
    Token t;
    t.pos = c.Where();
    if (c.Done()) {
      out.push_back(std::move(t));
      return out;
    }
    const char ch = c.Peek();
    if (IsIdentStart(ch)) {
      t.kind = TokenKind::kIdent;
      while (!c.Done() && IsIdentChar(c.Peek())) t.text += c.Next();
    } else if (IsDigit(ch)) {
      t.kind = TokenKind::kInt;
      while (!c.Done() && IsDigit(c.Peek())) t.text += c.Next();
      if (c.Peek() == '.' && IsDigit(c.Peek(1))) {
        t.kind = TokenKind::kDecimal;
        t.text += c.Next();
        while (!c.Done() && IsDigit(c.Peek())) t.text += c.Next();
      }
    } else if (ch == '"' || ch == '\'') {
      t.kind = TokenKind::kString;
      const char quote = c.Next();
      while (true) {
        if (c.Done() || c.Peek() == '\n') return RuleError(MsgCode("rule.unterminated_string"), t.pos);
        const Pos at = c.Where();
        const char x = c.Next();
        if (x == quote) break;
        if (x == '\\') {
          const char e = c.Done() ? '\0' : c.Next();
          if (e != '\\' && e != '"' && e != '\'') return RuleError(MsgCode("rule.bad_escape"), at);
          t.text += e;
        } else {
          t.text += x;
        }
      }
    } else {
      t.kind = TokenKind::kOp;
      static constexpr std::string_view kTwo[] = {"&&", "||", "==", "!=", "<=", ">="};
      for (std::string_view two : kTwo) {
        if (ch == two[0] && c.Peek(1) == two[1]) t.text = two;
      }
      if (t.text.empty() && std::string_view("!<>+-*/?:()[],.").find(ch) != std::string_view::npos) t.text = ch;
      if (t.text.empty()) {
        // Print a visible character as itself, anything else (control bytes, non-ASCII) by its code.
        const auto u = static_cast<unsigned char>(ch);
        static constexpr char kHex[] = "0123456789abcdef";
        const std::string shown =
            (u >= 0x21 && u < 0x7f) ? std::string(1, ch) : std::string("0x") + kHex[u >> 4] + kHex[u & 15];
        return RuleError(MsgCode("rule.unexpected_char"), t.pos, {{"char", shown}});
      }
      for (std::size_t k = 0; k < t.text.size(); ++k) c.Next();
    }
    out.push_back(std::move(t));
  }
}

}  // namespace sanad::rules
