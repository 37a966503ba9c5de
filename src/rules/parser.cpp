// Recursive descent, lowest precedence first:
//   expr    := or ('?' expr ':' expr)?
//   or      := and ('||' and)*
//   and     := rel ('&&' rel)*
//   rel     := add (('=='|'!='|'<'|'<='|'>'|'>=') add | 'in' '[' literal (',' literal)* ']')?
//   add     := mul (('+'|'-') mul)*
//   mul     := unary (('*'|'/') unary)*
//   unary   := ('!'|'-') unary | primary
//   primary := INT | DECIMAL | STRING | true | false | '(' expr ')'
//            | 'members' '.' AGG '(' IDENT ',' expr ')'
//            | IDENT '.' 'rank_by' '(' IDENT ',' expr ')' | IDENT '.' IDENT
//            | IDENT '(' args ')' | IDENT
#include "rules/parser.h"

#include <charconv>

#include "core/time.h"
#include "rules/batch.h"
#include "rules/errors.h"
#include "rules/lexer.h"

namespace sanad::rules {
namespace {

class Parser {
 public:
  Parser(std::vector<Token> tokens, const Limits& limits) : t_(std::move(tokens)), limits_(limits) {}

  Result<NodePtr> ParseAll() {
    auto e = Expr();
    if (!e) return e;
    if (Cur().kind != TokenKind::kEnd) return Unexpected("end_of_rule");
    return e;
  }

 private:
  const Token& Cur() const { return t_[i_]; }
  bool IsOp(std::string_view op) const { return Cur().kind == TokenKind::kOp && Cur().text == op; }
  bool IsWord(std::string_view w) const { return Cur().kind == TokenKind::kIdent && Cur().text == w; }
  void Advance() {
    if (Cur().kind != TokenKind::kEnd) ++i_;
  }

  // How a token is named in an error: its text, a string in quotes, or the code "end_of_rule" (the
  // catalogue renders "expected"/"found" values that are codes in the reader's language).
  static std::string Found(const Token& t) {
    if (t.kind == TokenKind::kEnd) return "end_of_rule";
    if (t.kind == TokenKind::kString) return "\"" + t.text + "\"";
    return t.text;
  }
  // `expected` is a code (expression, end_of_rule, field, variable, member_field, number) or a quoted
  // punctuation mark such as ')'.
  std::unexpected<Error> Unexpected(std::string_view expected) const {
    return RuleError(MsgCode("rule.unexpected_token"), Cur().pos,
                     {{"expected", std::string(expected)}, {"found", Found(Cur())}});
  }
  Status Expect(std::string_view op) {
    if (!IsOp(op)) return Unexpected("'" + std::string(op) + "'");
    Advance();
    return Ok();
  }
  Result<std::string> Ident(std::string_view what) {
    if (Cur().kind != TokenKind::kIdent) return Unexpected(what);
    std::string name = Cur().text;
    Advance();
    return name;
  }

  Result<NodePtr> Make(NodeKind kind, Pos pos, std::string text = {}) {
    if (++nodes_ > limits_.max_nodes) {
      return RuleError(MsgCode("rule.too_many_nodes"), pos, {{"max", std::to_string(limits_.max_nodes)}});
    }
    auto n = std::make_unique<Node>();
    n->kind = kind;
    n->pos = pos;
    n->text = std::move(text);
    return n;
  }

  // Guards the recursion: every nested expression goes through Expr or Unary.
  struct Depth {
    explicit Depth(int& d) : d_(d) { ++d_; }
    ~Depth() { --d_; }
    int& d_;
  };
  Status CheckDepth() {
    if (depth_ > limits_.max_depth) {
      return RuleError(MsgCode("rule.too_deep"), Cur().pos, {{"max", std::to_string(limits_.max_depth)}});
    }
    return Ok();
  }

  Result<NodePtr> Expr() {
    Depth guard(depth_);
    if (auto st = CheckDepth(); !st) return std::unexpected(st.error());
    auto cond = Or();
    if (!cond || !IsOp("?")) return cond;
    auto n = Make(NodeKind::kTernary, Cur().pos);
    if (!n) return n;
    Advance();
    auto a = Expr();
    if (!a) return a;
    if (auto st = Expect(":"); !st) return std::unexpected(st.error());
    auto b = Expr();
    if (!b) return b;
    (*n)->kids.push_back(std::move(*cond));
    (*n)->kids.push_back(std::move(*a));
    (*n)->kids.push_back(std::move(*b));
    return n;
  }

  using Sub = Result<NodePtr> (Parser::*)();
  Result<NodePtr> LeftAssoc(Sub sub, std::initializer_list<std::string_view> ops) {
    auto left = (this->*sub)();
    if (!left) return left;
    // A chain a + b + c nests to the left: each operator adds a level to the tree (and to the recursion
    // of the passes that follow), so it counts against the depth limit too.
    struct Chain {
      explicit Chain(int& d) : d_(d) {}
      ~Chain() { d_ -= n_; }
      int& d_;
      int n_ = 0;
    } chain(depth_);
    while (true) {
      std::string op;
      for (auto o : ops) {
        if (IsOp(o)) op = o;
      }
      if (op.empty()) return left;
      ++depth_;
      ++chain.n_;
      if (auto st = CheckDepth(); !st) return std::unexpected(st.error());
      auto n = Make(NodeKind::kBinary, Cur().pos, op);
      if (!n) return n;
      Advance();
      auto right = (this->*sub)();
      if (!right) return right;
      (*n)->kids.push_back(std::move(*left));
      (*n)->kids.push_back(std::move(*right));
      left = std::move(n);
    }
  }
  Result<NodePtr> Or() { return LeftAssoc(&Parser::And, {"||"}); }
  Result<NodePtr> And() { return LeftAssoc(&Parser::Rel, {"&&"}); }
  // Comparisons do not chain: in a < b < c the second '<' is an unexpected token.
  Result<NodePtr> Rel() {
    auto left = Add();
    if (!left) return left;
    for (std::string_view op : {"==", "!=", "<", "<=", ">", ">="}) {
      if (!IsOp(op)) continue;
      auto n = Make(NodeKind::kBinary, Cur().pos, std::string(op));
      if (!n) return n;
      Advance();
      auto right = Add();
      if (!right) return right;
      (*n)->kids.push_back(std::move(*left));
      (*n)->kids.push_back(std::move(*right));
      return n;
    }
    if (!IsWord("in")) return left;
    auto n = Make(NodeKind::kIn, Cur().pos);
    if (!n) return n;
    Advance();
    if (auto st = Expect("["); !st) return std::unexpected(st.error());
    (*n)->kids.push_back(std::move(*left));
    while (true) {
      auto lit = Literal();
      if (!lit) return lit;
      (*n)->kids.push_back(std::move(*lit));
      if (IsOp("]")) break;
      if (auto st = Expect(","); !st) return std::unexpected(st.error());
    }
    Advance();
    return n;
  }
  Result<NodePtr> Add() { return LeftAssoc(&Parser::Mul, {"+", "-"}); }
  Result<NodePtr> Mul() { return LeftAssoc(&Parser::Unary, {"*", "/"}); }

  Result<NodePtr> Unary() {
    Depth guard(depth_);
    if (auto st = CheckDepth(); !st) return std::unexpected(st.error());
    if (IsOp("!") || IsOp("-")) {
      auto n = Make(NodeKind::kUnary, Cur().pos, Cur().text);
      if (!n) return n;
      Advance();
      auto operand = Unary();
      if (!operand) return operand;
      (*n)->kids.push_back(std::move(*operand));
      return n;
    }
    return Primary();
  }

  // A literal in an `in` list or a function's literal argument: number, string, bool, date(...).
  Result<NodePtr> Literal() {
    const bool negative = IsOp("-");
    if (negative) Advance();
    const Token tok = Cur();
    if (tok.kind == TokenKind::kInt || tok.kind == TokenKind::kDecimal) return Number(negative);
    if (negative) return Unexpected("number");
    if (tok.kind == TokenKind::kString) {
      Advance();
      return Make(NodeKind::kString, tok.pos, tok.text);
    }
    if (IsWord("true") || IsWord("false") || IsWord("date")) return Primary();
    return RuleError(MsgCode("rule.literal_expected"), tok.pos, {{"found", Found(tok)}});
  }

  Result<NodePtr> Number(bool negative) {
    const Token tok = Cur();
    Advance();
    const std::string text = (negative ? "-" : "") + tok.text;
    const char* end = text.data() + text.size();
    if (tok.kind == TokenKind::kInt) {
      std::int64_t v = 0;
      auto [p, ec] = std::from_chars(text.data(), end, v);
      if (ec != std::errc() || p != end) return RuleError(MsgCode("rule.bad_number"), tok.pos, {{"text", text}});
      auto n = Make(NodeKind::kInt, tok.pos, text);
      if (n) (*n)->value_int = v;
      return n;
    }
    double v = 0;
    auto [p, ec] = std::from_chars(text.data(), end, v);
    if (ec != std::errc() || p != end) return RuleError(MsgCode("rule.bad_number"), tok.pos, {{"text", text}});
    auto n = Make(NodeKind::kDecimal, tok.pos, text);
    if (n) (*n)->value_decimal = v;
    return n;
  }

  Result<std::string> StringArgument() {
    if (Cur().kind != TokenKind::kString)
      return RuleError(MsgCode("rule.literal_expected"), Cur().pos, {{"found", Found(Cur())}});
    std::string s = Cur().text;
    Advance();
    return s;
  }

  Result<NodePtr> Primary() {
    const Token tok = Cur();
    if (tok.kind == TokenKind::kInt || tok.kind == TokenKind::kDecimal) return Number(false);
    if (tok.kind == TokenKind::kString) {
      Advance();
      return Make(NodeKind::kString, tok.pos, tok.text);
    }
    if (IsOp("(")) {
      Advance();
      auto e = Expr();
      if (!e) return e;
      if (auto st = Expect(")"); !st) return std::unexpected(st.error());
      return e;
    }
    if (tok.kind != TokenKind::kIdent) return Unexpected("expression");
    Advance();
    if (tok.text == "true" || tok.text == "false") {
      auto n = Make(NodeKind::kBool, tok.pos, tok.text);
      if (n) (*n)->value_int = tok.text == "true" ? 1 : 0;
      return n;
    }
    if (IsOp(".")) {
      Advance();
      auto name = Ident("field");
      if (!name) return std::unexpected(name.error());
      if (tok.text == "members") return Aggregate(tok, *name);
      if (*name == "rank_by" && IsOp("(")) return Rank(tok);
      auto n = Make(NodeKind::kMemberField, tok.pos, *name);
      if (n) (*n)->var = tok.text;
      return n;
    }
    if (!IsOp("(")) return Make(NodeKind::kField, tok.pos, tok.text);
    Advance();
    if (tok.text == "date" || tok.text == "param") {
      auto arg = StringArgument();
      if (!arg) return std::unexpected(arg.error());
      if (auto st = Expect(")"); !st) return std::unexpected(st.error());
      if (tok.text == "param") return Make(NodeKind::kParam, tok.pos, *arg);
      auto d = ParseDate(*arg);
      if (!d) return RuleError(MsgCode("rule.bad_date"), tok.pos, {{"value", *arg}});
      auto n = Make(NodeKind::kDate, tok.pos, *arg);
      if (n) (*n)->value_int = DayNumber(*d);
      return n;
    }
    auto n = Make(NodeKind::kCall, tok.pos, tok.text);
    if (!n) return n;
    if (!IsOp(")")) {
      while (true) {
        auto arg = Expr();
        if (!arg) return arg;
        (*n)->kids.push_back(std::move(*arg));
        if (IsOp(")")) break;
        if (auto st = Expect(","); !st) return std::unexpected(st.error());
      }
    }
    Advance();
    return n;
  }

  // members.<count|sum|min|max|exists>(m, body)
  Result<NodePtr> Aggregate(const Token& members, const std::string& fn) {
    auto n = Make(NodeKind::kAggregate, members.pos, fn);
    if (!n) return n;
    if (auto st = Expect("("); !st) return std::unexpected(st.error());
    auto var = Ident("variable");
    if (!var) return std::unexpected(var.error());
    (*n)->var = *var;
    if (auto st = Expect(","); !st) return std::unexpected(st.error());
    auto body = Expr();
    if (!body) return body;
    (*n)->kids.push_back(std::move(*body));
    if (auto st = Expect(")"); !st) return std::unexpected(st.error());
    return n;
  }

  // m.rank_by(key, filter)
  Result<NodePtr> Rank(const Token& var) {
    Advance();  // '('
    auto key = Ident("member_field");
    if (!key) return std::unexpected(key.error());
    auto n = Make(NodeKind::kRank, var.pos, *key);
    if (!n) return n;
    (*n)->var = var.text;
    if (auto st = Expect(","); !st) return std::unexpected(st.error());
    auto filter = Expr();
    if (!filter) return filter;
    (*n)->kids.push_back(std::move(*filter));
    if (auto st = Expect(")"); !st) return std::unexpected(st.error());
    return n;
  }

  std::vector<Token> t_;
  std::size_t i_ = 0;
  const Limits& limits_;
  int depth_ = 0;
  int nodes_ = 0;
};

}  // namespace

Result<NodePtr> Parse(std::string_view source, const Limits& limits) {
  if (source.size() > limits.max_source_bytes) {
    return RuleError(MsgCode("rule.too_long"), Pos{}, {{"max", std::to_string(limits.max_source_bytes)}});
  }
  auto tokens = Tokenize(source);
  if (!tokens) return std::unexpected(tokens.error());
  return Parser(std::move(*tokens), limits).ParseAll();
}

}  // namespace sanad::rules
