// Splits a rule's source into tokens with their positions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/error.h"
#include "rules/ast.h"

namespace sanad::rules {

enum class TokenKind { kInt, kDecimal, kString, kIdent, kOp, kEnd };

struct Token {
  TokenKind kind = TokenKind::kEnd;
  std::string text;  // identifier, operator, or the string's unescaped value
  Pos pos;
};

// Operators: && || ! == != < <= > >= + - * / ? : ( ) [ ] , .  Strings use " or ' with \\ \" \' escapes.
// Errors: rule.unexpected_char, rule.unterminated_string, rule.bad_escape.
Result<std::vector<Token>> Tokenize(std::string_view source);

}  // namespace sanad::rules
