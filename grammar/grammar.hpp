// The rule language as PEGTL rules: recognition only, one production comment per rule.
// parser.cpp (the only includer) attaches the actions that build the AST and turns every
// `must<>` failure into a plain-words diagnostic; `expect<Rule>` at the bottom says what each
// such rule stands for, and a rule used in `must<>` without an entry there does not compile.
//
// Conventions: a rule never consumes the spacing after it, so an action's input is exactly
// its text; sequences put `sp` between their parts. Wrapper rules (`struct x : seq<expr>`)
// give one grammar rule several names, so each place it is required has its own message.
#pragma once
#include <cstdint>
#include <tao/pegtl.hpp>

namespace ratebook::grammar {

namespace pg = tao::pegtl;
using pg::any;
using pg::at;
using pg::digit;
using pg::eof;
using pg::identifier;
using pg::identifier_other;
using pg::must;
using pg::not_at;
using pg::not_one;
using pg::one;
using pg::opt;
using pg::plus;
using pg::range;
using pg::rep;
using pg::seq;
using pg::sor;
using pg::space;
using pg::star;
using pg::string;

// ---- spacing -------------------------------------------------------------------------------

// comment <- '#' (!'\n' .)*
struct comment : seq<one<'#'>, star<not_one<'\n'>>> {};
// sp <- (space / comment)*            (newlines are spacing: clauses may span lines)
struct sp : star<sor<space, comment>> {};
// blanks <- [ \t]*
struct blanks : star<one<' ', '\t'>> {};
// at_line_start <- &(only blanks since the last newline)
struct at_line_start {
    using rule_t = at_line_start;
    using subs_t = pg::empty_list;
    template <typename ParseInput>
    static bool match(ParseInput& in) {
        for (const char* p = in.current(); p != in.begin() && p[-1] != '\n'; --p)
            if (p[-1] != ' ' && p[-1] != '\t' && p[-1] != '\r') return false;
        return true;
    }
};

// ---- words ---------------------------------------------------------------------------------

// kw_and <- 'and' !ident_char   (and likewise for each reserved word)
struct kw_and : TAO_PEGTL_KEYWORD("and") {};
struct kw_or : TAO_PEGTL_KEYWORD("or") {};
struct kw_not : TAO_PEGTL_KEYWORD("not") {};
struct kw_in : TAO_PEGTL_KEYWORD("in") {};
struct kw_if : TAO_PEGTL_KEYWORD("if") {};
struct kw_then : TAO_PEGTL_KEYWORD("then") {};
struct kw_else : TAO_PEGTL_KEYWORD("else") {};
struct kw_true : TAO_PEGTL_KEYWORD("true") {};
struct kw_false : TAO_PEGTL_KEYWORD("false") {};
struct kw_const : TAO_PEGTL_KEYWORD("const") {};
struct kw_from : TAO_PEGTL_KEYWORD("from") {};
struct kw_table : TAO_PEGTL_KEYWORD("table") {};
struct kw_at : TAO_PEGTL_KEYWORD("at") {};
// keyword <- and / or / not / in / if / then / else / true / false / const / from / table / at
struct keyword : sor<kw_and, kw_or, kw_not, kw_in, kw_if, kw_then, kw_else, kw_true, kw_false,
                     kw_const, kw_from, kw_table, kw_at> {};
// name <- !keyword [A-Za-z_] [A-Za-z0-9_]*
struct name : seq<not_at<keyword>, identifier> {};

// ---- literals ------------------------------------------------------------------------------

// digits <- [0-9]+
struct digits : plus<digit> {};
// group <- ',' [0-9]{3} ![0-9]        (a thousands separator: exactly three digits follow)
struct group : seq<one<','>, rep<3, digit>, not_at<digit>> {};
// number <- digits group* ('.' digits)?
struct number : seq<digits, star<group>, opt<one<'.'>, digits>> {};
// currency <- [A-Z]{3} !ident_char
struct currency : seq<rep<3, range<'A', 'Z'>>, not_at<identifier_other>> {};
// date_lit <- [0-9]{4} '-' [0-9]{2} '-' [0-9]{2} !ident_char
struct date_lit : seq<rep<4, digit>, one<'-'>, rep<2, digit>, one<'-'>, rep<2, digit>,
                      not_at<identifier_other>> {};
// dollar_amount <- number             (required after `$`)
struct dollar_amount : number {};
// dollar_money <- '$' number          (`$` means USD)
struct dollar_money : seq<one<'$'>, must<dollar_amount>> {};
// code_money <- number [ \t]* currency
struct code_money : seq<number, blanks, currency> {};
// percent_lit <- number '%'
struct percent_lit : seq<number, one<'%'>> {};
// number_lit <- number
struct number_lit : number {};
// text_open <- '"'
struct text_open : one<'"'> {};
// escaped <- '"' / '\'                (the character after a backslash)
struct escaped : one<'"', '\\'> {};
// text_char <- !('"' / '\' / control) .     (control: bytes 0-31 and 127, newlines included)
struct text_char : seq<not_at<sor<one<'"', '\\', 127>, range<0, 31>>>, any> {};
// text_close <- '"'
struct text_close : one<'"'> {};
// text_lit <- '"' ('\' escaped / text_char)* '"'
struct text_lit
    : seq<text_open, star<sor<seq<one<'\\'>, must<escaped>>, text_char>>, must<text_close>> {};
// text_scan <- '"' ('\' . / text_char)* '"'      (lookahead only: never fails loudly)
struct text_scan : seq<one<'"'>, star<sor<seq<one<'\\'>, any>, text_char>>, one<'"'>> {};
// true_lit <- 'true'
struct true_lit : kw_true {};
// false_lit <- 'false'
struct false_lit : kw_false {};
// literal <- date / money / percent / number / text / 'true' / 'false'
struct literal : sor<date_lit, dollar_money, code_money, percent_lit, number_lit, text_lit,
                     true_lit, false_lit> {};

// ---- expressions ---------------------------------------------------------------------------

struct expr;
struct unary;
struct not_expr;
struct and_expr;
struct add_expr;

// name_ref <- name
struct name_ref : name {};
// lparen <- '('
struct lparen : one<'('> {};
// paren_inner <- expr                 (after `(`)
struct paren_inner : seq<expr> {};
// rparen <- ')'
struct rparen : one<')'> {};
// paren <- '(' expr ')'
struct paren : seq<lparen, sp, must<paren_inner>, sp, must<rparen>> {};
// call_head <- name '('
struct call_head : seq<name, sp, one<'('>> {};
// call_arg <- expr                    (the first argument)
struct call_arg : seq<expr> {};
// call_next_arg <- expr               (an argument after `,`)
struct call_next_arg : seq<expr> {};
// call_more <- ',' expr
struct call_more : seq<one<','>, sp, must<call_next_arg>, sp> {};
// call_close <- ')'
struct call_close : one<')'> {};
// call <- name '(' (expr (',' expr)*)? ')'
struct call : seq<call_head, sp, opt<call_arg, sp, star<call_more>>, must<call_close>> {};
// primary <- literal / call / name / '(' expr ')'
struct primary : sor<literal, call, name_ref, paren> {};

// neg_op <- '-'
struct neg_op : one<'-'> {};
// neg_operand <- unary                (after unary `-`)
struct neg_operand : seq<unary> {};
// neg <- '-' unary
struct neg : seq<neg_op, sp, must<neg_operand>> {};
// unary <- '-' unary / primary
struct unary : sor<neg, primary> {};

// mul_op <- '*' / '/'
struct mul_op : one<'*', '/'> {};
// mul_operand <- unary                (after `*` or `/`)
struct mul_operand : seq<unary> {};
// mul_tail <- ('*' / '/') unary
struct mul_tail : seq<sp, mul_op, sp, must<mul_operand>> {};
// mul_expr <- unary mul_tail*
struct mul_expr : seq<unary, star<mul_tail>> {};

// add_op <- '+' / '-'
struct add_op : one<'+', '-'> {};
// add_operand <- mul_expr             (after `+` or `-`)
struct add_operand : seq<mul_expr> {};
// add_tail <- ('+' / '-') mul_expr
struct add_tail : seq<sp, add_op, sp, must<add_operand>> {};
// add_expr <- mul_expr add_tail*
struct add_expr : seq<mul_expr, star<add_tail>> {};

// cmp_op <- '==' / '!=' / '<=' / '>=' / '<' / '>'
struct cmp_op : sor<string<'=', '='>, string<'!', '='>, string<'<', '='>, string<'>', '='>,
                    one<'<'>, one<'>'>> {};
// cmp_operand <- add_expr             (after a comparison operator)
struct cmp_operand : seq<add_expr> {};
// cmp_bin <- cmp_op add_expr
struct cmp_bin : seq<cmp_op, sp, must<cmp_operand>> {};
// lbracket <- '['                     (required after `in`)
struct lbracket : one<'['> {};
// in_open <- 'not'? 'in' !'table' '['
struct in_open : seq<opt<kw_not, sp>, kw_in, sp, not_at<kw_table>, must<lbracket>> {};
// list_item <- expr                   (the first value of a list)
struct list_item : seq<expr> {};
// list_next_item <- expr              (a value after `,`)
struct list_next_item : seq<expr> {};
// list_more <- ',' expr
struct list_more : seq<one<','>, sp, must<list_next_item>, sp> {};
// rbracket <- ']'
struct rbracket : one<']'> {};
// in_tail <- 'not'? 'in' '[' (expr (',' expr)*)? ']'
struct in_tail : seq<in_open, sp, opt<list_item, sp, star<list_more>>, must<rbracket>> {};
// cmp_expr <- add_expr (cmp_op add_expr / in_tail)?      (comparisons do not chain)
struct cmp_expr : seq<add_expr, opt<sp, sor<cmp_bin, in_tail>>> {};

// not_op <- 'not'
struct not_op : kw_not {};
// not_operand <- not_expr             (after `not`)
struct not_operand : seq<not_expr> {};
// not_prefix <- 'not' not_expr
struct not_prefix : seq<not_op, sp, must<not_operand>> {};
// not_expr <- 'not' not_expr / cmp_expr
struct not_expr : sor<not_prefix, cmp_expr> {};

// and_op <- 'and'
struct and_op : kw_and {};
// and_operand <- not_expr             (after `and`)
struct and_operand : seq<not_expr> {};
// and_tail <- 'and' not_expr
struct and_tail : seq<sp, and_op, sp, must<and_operand>> {};
// and_expr <- not_expr and_tail*
struct and_expr : seq<not_expr, star<and_tail>> {};

// or_op <- 'or'
struct or_op : kw_or {};
// or_operand <- and_expr              (after `or`)
struct or_operand : seq<and_expr> {};
// or_tail <- 'or' and_expr
struct or_tail : seq<sp, or_op, sp, must<or_operand>> {};
// or_expr <- and_expr or_tail*
struct or_expr : seq<and_expr, star<or_tail>> {};

// if_kw <- 'if'
struct if_kw : kw_if {};
// if_cond <- expr                     (after `if`)
struct if_cond : seq<expr> {};
// then_kw <- 'then'
struct then_kw : kw_then {};
// then_value <- expr                  (after `then`)
struct then_value : seq<expr> {};
// if_else_kw <- 'else'
struct if_else_kw : kw_else {};
// else_branch <- expr                 (after the `else` of an `if`)
struct else_branch : seq<expr> {};
// if_expr <- 'if' expr 'then' expr 'else' expr
struct if_expr : seq<if_kw, sp, must<if_cond>, sp, must<then_kw>, sp, must<then_value>, sp,
                     must<if_else_kw>, sp, must<else_branch>> {};
// expr <- if_expr / or_expr
struct expr : sor<if_expr, or_expr> {};

// ---- clauses and items ---------------------------------------------------------------------

// table_name <- name                  (after `in table`)
struct table_name : name {};
// lookup_dot <- '.'
struct lookup_dot : one<'.'> {};
// key_column <- name                  (after `table.`)
struct key_column : name {};
// lookup_arrow <- '->'
struct lookup_arrow : string<'-', '>'> {};
// value_column <- name                (after `->`)
struct value_column : name {};
// prefix_kw <- 'prefix'               (longest-prefix match: `from ResourceId prefix in table ...`)
struct prefix_kw : TAO_PEGTL_KEYWORD("prefix") {};
// lookup <- 'prefix'? 'in' 'table' name '.' name '->' name
struct lookup : seq<opt<prefix_kw, sp>, kw_in, sp, kw_table, sp, must<table_name>, sp, must<lookup_dot>, sp,
                    must<key_column>, sp, must<lookup_arrow>, sp, must<value_column>> {};
// from_value <- expr                  (after `from`)
struct from_value : seq<expr> {};
// from_kw <- 'from'
struct from_kw : kw_from {};
// from_body <- expr lookup?
struct from_body : seq<must<from_value>, opt<sp, lookup>> {};
// else_kw <- 'else'
struct else_kw : kw_else {};
// else_value <- expr                  (after a clause's `else`)
struct else_value : seq<expr> {};
// else_clause <- 'else' 'from' from_body / 'else' expr
struct else_clause : seq<else_kw, sp, sor<seq<from_kw, sp, from_body>, must<else_value>>> {};
// from_clause <- 'from' from_body
struct from_clause : seq<from_kw, sp, from_body> {};
// clause_kw <- name
struct clause_kw : name {};
// clause_value <- expr                (after a clause keyword)
struct clause_value : seq<expr> {};
// at_kw <- 'at'
struct at_kw : kw_at {};
// at_price <- expr                    (after `at`)
struct at_price : seq<expr> {};
// price_tail <- 'at' expr
struct price_tail : seq<at_kw, sp, must<at_price>> {};
// keyword_clause <- name ('at' expr / expr ('at' expr)?)     (`over at $0.021`, `first 50,000 at $0.023`)
struct keyword_clause
    : seq<clause_kw, sp, sor<price_tail, seq<must<clause_value>, opt<sp, price_tail>>>> {};
// clause <- else_clause / from_clause / keyword_clause
struct clause : sor<else_clause, from_clause, keyword_clause> {};

// item_start <- 'const' / name text? '{'        (lookahead: a new item begins here)
struct item_start : sor<kw_const, seq<name, sp, opt<text_scan, sp>, one<'{'>>> {};
// block_kind <- name
struct block_kind : name {};
// block_name <- text
struct block_name : text_lit {};
// lbrace <- '{'
struct lbrace : one<'{'> {};
// rbrace <- '}'
struct rbrace : one<'}'> {};
// clause_item <- !item_start clause
struct clause_item : seq<sp, not_at<item_start>, clause> {};
// rule_block <- name text? '{' clause* '}'
struct rule_block : seq<block_kind, sp, opt<block_name, sp>, must<lbrace>, star<clause_item>, sp,
                        must<rbrace>> {};

// const_kw <- 'const'
struct const_kw : kw_const {};
// const_name <- name                  (after `const`)
struct const_name : name {};
// const_eq <- '=' !'='
struct const_eq : seq<one<'='>, not_at<one<'='>>> {};
// const_value <- expr                 (after `const name =`)
struct const_value : seq<expr> {};
// const_end <- EOF / &(new line) / &item_start
struct const_end : sor<eof, at_line_start, at<item_start>> {};
// const_decl <- 'const' name '=' expr
struct const_decl : seq<const_kw, sp, must<const_name>, sp, must<const_eq>, sp, must<const_value>,
                        sp, must<const_end>> {};
// kw_use <- 'use' !ident_char        (not reserved: only special at the start of an item)
struct kw_use : TAO_PEGTL_KEYWORD("use") {};
// use_path <- text                    (after `use`: a library of the standard rules, "sla/aws_compute")
struct use_path : text_lit {};
// use_end <- EOF / &(new line) / &item_start
struct use_end : sor<eof, at_line_start, at<item_start>> {};
// use_decl <- 'use' text               (`use "sla/aws_compute"`; `use {` stays a rule block)
struct use_decl : seq<kw_use, sp, not_at<one<'{'>>, must<use_path>, sp, must<use_end>> {};

// item_expected <- (never matches: marks "a rule or const was expected here")
struct item_expected : pg::failure {};
// item <- use_decl / const_decl / rule_block
struct item : sor<use_decl, const_decl, rule_block, pg::raise<item_expected>> {};

// whole_expr <- expr                  (`--set name=expr`)
struct whole_expr : seq<expr> {};
// expr_end <- EOF
struct expr_end : eof {};
// expression_input <- expr EOF
struct expression_input : seq<sp, must<whole_expr>, sp, must<expr_end>> {};

// ---- what each required rule stands for (the messages: parser.cpp, explain()) -------------

enum class Expect : uint8_t {
    item, const_name, const_eq, const_value, const_end, lbrace, rbrace,
    clause_value, from_value, else_value, at_price,
    table_name, lookup_dot, key_column, lookup_arrow, value_column,
    if_cond, then_kw, then_value, if_else_kw, else_branch,
    operand, paren_inner, rparen, call_arg, call_close, lbracket, list_item, rbracket,
    dollar_amount, escaped, text_close, whole_expr, expr_end, use_path, use_end,
};

template <typename Rule> inline constexpr bool has_expect = false;
template <typename Rule> inline constexpr Expect expect{};
#define RATEBOOK_EXPECT(rule, what)                             \
    template <> inline constexpr bool has_expect<rule> = true; \
    template <> inline constexpr Expect expect<rule> = Expect::what
RATEBOOK_EXPECT(item_expected, item);
RATEBOOK_EXPECT(const_name, const_name);
RATEBOOK_EXPECT(const_eq, const_eq);
RATEBOOK_EXPECT(const_value, const_value);
RATEBOOK_EXPECT(const_end, const_end);
RATEBOOK_EXPECT(lbrace, lbrace);
RATEBOOK_EXPECT(rbrace, rbrace);
RATEBOOK_EXPECT(clause_value, clause_value);
RATEBOOK_EXPECT(from_value, from_value);
RATEBOOK_EXPECT(else_value, else_value);
RATEBOOK_EXPECT(at_price, at_price);
RATEBOOK_EXPECT(table_name, table_name);
RATEBOOK_EXPECT(lookup_dot, lookup_dot);
RATEBOOK_EXPECT(key_column, key_column);
RATEBOOK_EXPECT(lookup_arrow, lookup_arrow);
RATEBOOK_EXPECT(value_column, value_column);
RATEBOOK_EXPECT(if_cond, if_cond);
RATEBOOK_EXPECT(then_kw, then_kw);
RATEBOOK_EXPECT(then_value, then_value);
RATEBOOK_EXPECT(if_else_kw, if_else_kw);
RATEBOOK_EXPECT(else_branch, else_branch);
RATEBOOK_EXPECT(neg_operand, operand);
RATEBOOK_EXPECT(mul_operand, operand);
RATEBOOK_EXPECT(add_operand, operand);
RATEBOOK_EXPECT(cmp_operand, operand);
RATEBOOK_EXPECT(not_operand, operand);
RATEBOOK_EXPECT(and_operand, operand);
RATEBOOK_EXPECT(or_operand, operand);
RATEBOOK_EXPECT(paren_inner, paren_inner);
RATEBOOK_EXPECT(rparen, rparen);
RATEBOOK_EXPECT(call_next_arg, call_arg);
RATEBOOK_EXPECT(call_close, call_close);
RATEBOOK_EXPECT(lbracket, lbracket);
RATEBOOK_EXPECT(list_next_item, list_item);
RATEBOOK_EXPECT(rbracket, rbracket);
RATEBOOK_EXPECT(dollar_amount, dollar_amount);
RATEBOOK_EXPECT(escaped, escaped);
RATEBOOK_EXPECT(text_close, text_close);
RATEBOOK_EXPECT(whole_expr, whole_expr);
RATEBOOK_EXPECT(expr_end, expr_end);
RATEBOOK_EXPECT(use_path, use_path);
RATEBOOK_EXPECT(use_end, use_end);
#undef RATEBOOK_EXPECT

}  // namespace ratebook::grammar
