// The parser: runs the grammar (grammar.hpp) one item (`const` or rule block) at a time, builds
// the AST through PEGTL actions, and turns a failure into one diagnostic in plain words. After
// an error it resumes at the next line that starts a rule or a `const`, so each broken item
// gives exactly one error and the items after it are still read.
#include "grammar/parser.hpp"

#include <date/date.h>
#include <fmt/format.h>
#include <algorithm>
#include <cctype>
#include <optional>

#include "grammar/grammar.hpp"

namespace ratebook {
namespace {

namespace g = grammar;
namespace pg = tao::pegtl;
using Input = pg::memory_input<pg::tracking_mode::lazy, pg::eol::lf_crlf, const char*>;

// How deep brackets, lists, calls, `not`, `-` and `if` may sit inside each other.
constexpr size_t max_nesting = 100;
// Later passes walk the tree recursively; a chain of operators is as deep as it is long, so it
// is capped like nesting (a rate card needs a handful; 3,000 is a generated file gone wrong).
constexpr size_t max_operator_chain = 3000;

const std::vector<std::string>& known_kinds() {
    static const std::vector<std::string> kinds = {"rate",     "account", "allocate", "sla",
                                                   "variance", "check",   "fee",      "test"};
    return kinds;
}

bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }
bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// ---- the text: offsets to spans, and the small amount of hand lexing diagnostics need ---------

class Text {
public:
    explicit Text(std::shared_ptr<const SourceFile> f) : file(std::move(f)), s(file->text) {
        starts_.push_back(0);
        for (size_t i = 0; i < s.size(); ++i)
            if (s[i] == '\n') starts_.push_back(i + 1);
    }

    std::shared_ptr<const SourceFile> file;
    std::string_view s;

    size_t line_index(size_t off) const {
        return std::upper_bound(starts_.begin(), starts_.end(), off) - starts_.begin() - 1;
    }
    size_t line_begin(size_t off) const { return starts_[line_index(off)]; }
    size_t line_end(size_t off) const {
        size_t e = std::min(s.find('\n', off), s.size());
        return e > line_begin(off) && s[e - 1] == '\r' ? e - 1 : e;
    }
    // The whole expression's span is clipped to its first line.
    Span span(size_t begin, size_t end) const {
        size_t li = line_index(begin);
        size_t stop = std::min(end, line_end(begin));
        return Span{file, static_cast<uint32_t>(li + 1),
                    static_cast<uint32_t>(begin - starts_[li] + 1),
                    static_cast<uint32_t>(stop > begin ? stop - begin : 0)};
    }
    std::string text(size_t begin, size_t end) const {
        return std::string(s.substr(begin, end - begin));
    }
    bool first_on_line(size_t off) const {
        for (size_t i = line_begin(off); i < off; ++i)
            if (!is_blank(s[i])) return false;
        return true;
    }
    size_t skip_space(size_t off) const {
        while (off < s.size()) {
            if (std::isspace(static_cast<unsigned char>(s[off])))
                ++off;
            else if (s[off] == '#')
                off = std::min(s.find('\n', off), s.size());
            else
                break;
        }
        return off;
    }
    size_t skip_blanks(size_t off) const {
        while (off < s.size() && is_blank(s[off])) ++off;
        return off;
    }
    size_t offset(const Span& sp) const { return starts_[sp.line - 1] + sp.column - 1; }
    std::string text(const Span& sp) const { return text(offset(sp), offset(sp) + sp.length); }
    size_t prev_token_begin(size_t end) const {
        size_t b = end;
        if (b > 0 && is_ident_char(s[b - 1]))
            while (b > 0 && is_ident_char(s[b - 1])) --b;
        else
            while (b > 0 && std::string_view("=<>!").find(s[b - 1]) != std::string_view::npos) --b;
        return b == end && end > 0 ? end - 1 : b;
    }
    size_t ident_end(size_t off) const {
        while (off < s.size() && is_ident_char(s[off])) ++off;
        return off;
    }
    // Where the `#` comment on the line segment [begin, end) starts (end if none).
    size_t comment_start(size_t begin, size_t end) const {
        bool in_text = false;
        for (size_t i = begin; i < end; ++i) {
            if (in_text && s[i] == '\\')
                ++i;
            else if (s[i] == '"')
                in_text = !in_text;
            else if (s[i] == '#' && !in_text)
                return i;
        }
        return end;
    }
    // The end of the last token before `off`, skipping spaces, newlines and comments.
    size_t prev_token_end(size_t off) const {
        size_t li = line_index(std::min(off, s.size()));
        size_t limit = off;
        for (;;) {
            size_t e = comment_start(starts_[li], limit);
            while (e > starts_[li] && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
            if (e > starts_[li] || li == 0) return e;
            limit = starts_[li] - 1;
            --li;
        }
    }
    // The end of the token starting at `off`, as a person would read it.
    size_t token_end(size_t off) const {
        if (off >= s.size()) return off;
        char c = s[off];
        if (is_ident_char(c) && !is_digit(c)) return ident_end(off);
        if (is_digit(c)) {
            while (off < s.size() && (is_digit(s[off]) || s[off] == ',' || s[off] == '.')) ++off;
            return off;
        }
        if (c == '"') {
            size_t e = line_end(off);
            for (size_t i = off + 1; i < e; ++i) {
                if (s[i] == '\\')
                    ++i;
                else if (s[i] == '"')
                    return i + 1;
            }
            return e;
        }
        static const char* pairs[] = {"==", "!=", "<=", ">=", "->", "&&", "||", "<>"};
        for (const char* p : pairs)
            if (s.substr(off, 2) == p) return off + 2;
        return char_end(off);
    }
    size_t char_end(size_t off) const {  // one UTF-8 character
        size_t n = 1;
        while (off + n < s.size() && (static_cast<unsigned char>(s[off + n]) & 0xC0) == 0x80) ++n;
        return off + n;
    }
    std::string found(size_t off) const {
        if (off >= s.size()) return "the end of the file";
        std::string tok = text(off, token_end(off));
        if (tok.size() > 40) tok = tok.substr(0, 37) + "...";
        return "`" + tok + "`";
    }
    // True when nothing but spacing separates `off` from the token before it on its line;
    // false when `off` is on a later line or at the end of the file.
    bool near(size_t off) const {
        return off < s.size() && line_index(prev_token_end(off)) == line_index(off);
    }
    // The token at `off`, or (when it is on a later line) the point just after the previous one.
    Span here(size_t off) const {
        if (near(off)) return span(off, token_end(off));
        size_t p = prev_token_end(off);
        return span(p, p);
    }
    template <typename Rule>
    bool matches(size_t off) const {
        Input in(s.data(), s.data() + s.size(), "");
        in.bump(off);
        return pg::parse<Rule>(in);
    }
    // A line where reading resumes after an error: a known rule kind and then a text or `{`,
    // or `const`.
    bool resume_line(size_t begin) const {
        size_t p = begin;
        while (p < s.size() && is_blank(s[p])) ++p;
        std::string word = text(p, ident_end(p));
        if (word == "const") return true;
        if (word == "use") {
            p = ident_end(p);
            while (p < s.size() && is_blank(s[p])) ++p;
            return p < s.size() && s[p] == '"';
        }
        if (std::find(known_kinds().begin(), known_kinds().end(), word) == known_kinds().end())
            return false;
        p = ident_end(p);
        while (p < s.size() && is_blank(s[p])) ++p;
        return p < s.size() && (s[p] == '"' || s[p] == '{');
    }
    // Where to go on after an error at `fail` in the item starting at `item`.
    size_t recover(size_t item, size_t fail) const {
        size_t line = line_index(std::min(fail, s.size()));
        if (line <= line_index(item)) line = line_index(item) + 1;
        for (; line < starts_.size(); ++line)
            if (resume_line(starts_[line])) return starts_[line];
        return s.size();
    }

private:
    std::vector<size_t> starts_;
};

// ---- parse state and the actions that build the tree -------------------------------------------

struct Operand {
    ExprPtr e;
    size_t begin = 0, end = 0;
    size_t chain = 0;  // operators in a row below this one (a + b + c ... is a left-deep tree)
};

enum class OpenKind : uint8_t { op, call, paren, list, if_ };

// Something begun and not yet finished: an operator waiting for its right side, a call, a
// bracket, a list or an `if`. The innermost one names the context of an error.
struct Open {
    OpenKind kind = OpenKind::op;
    size_t begin = 0, end = 0;  // its token (for a call: the function name)
    Op op = Op::add;
    size_t depth = 0;   // stack size when it began (calls and lists)
    size_t mark = 0;    // the `(` of a call, the `[` of a list
    bool flag = false;  // `not in`
};

struct SyntaxError {
    Diagnostic diagnostic;
    size_t at = 0;
    bool resume_here = false;  // the error was found where a new item starts
};

struct State {
    explicit State(const Text& t) : text(t) {}
    const Text& text;
    Module* module = nullptr;
    std::vector<Operand> stack;
    std::vector<Open> opens;
    ConstDecl cur_const;
    RuleDecl cur_rule;
    Clause cur_clause;
    size_t kw_begin = 0, kw_end = 0;  // the current clause's keyword
    size_t eq_at = 0, text_at = 0;    // the `=` of a const, the `"` of the text being read
    bool after_else = false;
    bool prefix_seen = false;  // `from ResourceId prefix in table ...`

    Span span(size_t b, size_t e) const { return text.span(b, e); }
    std::string str(size_t b, size_t e) const { return text.text(b, e); }

    [[noreturn]] void fail(std::string code, size_t b, size_t e, std::string msg,
                           std::string help) const {
        Diagnostic d{Severity::error, std::move(code), std::move(msg),
                     span(b, e),      std::move(help), {}};
        throw SyntaxError{std::move(d), b, false};
    }
    Expr& push(ExprKind kind, size_t b, size_t e) {
        auto x = std::make_unique<Expr>();
        x->kind = kind;
        x->span = span(b, e);
        stack.push_back({std::move(x), b, e});
        return *stack.back().e;
    }
    Operand pop() {
        Operand o = std::move(stack.back());
        stack.pop_back();
        return o;
    }
    Open pop_open() {
        Open o = opens.back();
        opens.pop_back();
        return o;
    }
    void open(Open o) {
        if (opens.size() >= max_nesting)
            fail("E0120", o.begin, o.end, "this expression is nested too deeply",
                 fmt::format("use at most {} brackets, lists, calls and `if`s inside each other; "
                             "a `const` can name a part",
                             max_nesting));
        opens.push_back(o);
    }

    // literals
    Decimal number(size_t b, size_t e) const {
        std::string digits = str(b, e);
        std::erase(digits, ',');
        std::string why;
        if (auto d = Decimal::parse(digits, &why)) return *d;
        fail("E0116", b, e, fmt::format("`{}` cannot be used as a number: {}", str(b, e), why),
             "amounts and rates may have at most 38 digits, 18 of them after the decimal point");
    }
    Expr& literal(LiteralKind k, size_t b, size_t e) {
        Expr& x = push(ExprKind::literal, b, e);
        x.literal_kind = k;
        return x;
    }
    void number_lit(size_t b, size_t e) {
        literal(LiteralKind::decimal, b, e).number = number(b, e);
    }
    void percent_lit(size_t b, size_t e) {
        literal(LiteralKind::percent, b, e).number = number(b, e - 1);
    }
    void dollar_money(size_t b, size_t e) {
        Expr& x = literal(LiteralKind::money, b, e);
        x.number = number(b + 1, e);
        x.text = "USD";
    }
    void code_money(size_t b, size_t e) {
        size_t n = e - 3;
        while (is_blank(text.s[n - 1])) --n;
        Expr& x = literal(LiteralKind::money, b, e);
        x.number = number(b, n);
        x.text = str(e - 3, e);
    }
    void date_lit(size_t b, size_t e);
    std::string text_value(size_t b, size_t e) const {  // the inside of a text literal
        std::string out;
        for (size_t i = b + 1; i + 1 < e; ++i) out += text.s[i] == '\\' ? text.s[++i] : text.s[i];
        return out;
    }
    void text_lit(size_t b, size_t e) { literal(LiteralKind::text, b, e).text = text_value(b, e); }
    void bool_lit(size_t b, size_t e) {
        literal(LiteralKind::boolean, b, e).flag = text.s[b] == 't';
    }
    void text_open(size_t b, size_t) { text_at = b; }

    // names, calls, brackets
    void name_ref(size_t b, size_t e) { push(ExprKind::name, b, e).text = str(b, e); }
    void call_head(size_t b, size_t e) {
        open({OpenKind::call, b, text.ident_end(b), Op::add, stack.size(), e - 1, false});
    }
    void call(size_t, size_t e) {
        Open o = pop_open();
        std::vector<ExprPtr> args;
        for (size_t i = o.depth; i < stack.size(); ++i) args.push_back(std::move(stack[i].e));
        stack.resize(o.depth);
        Expr& x = push(ExprKind::call, o.begin, e);
        x.text = str(o.begin, o.end);
        x.op_span = span(o.begin, o.end);
        x.args = std::move(args);
    }
    void lparen(size_t b, size_t e) { open({OpenKind::paren, b, e}); }
    void paren(size_t b, size_t e) {
        opens.pop_back();
        Operand& inner = stack.back();
        inner.begin = b;
        inner.end = e;
        inner.e->span = span(b, e);
    }

    // operators
    void op(size_t b, size_t e) {
        static const std::pair<std::string_view, Op> ops[] = {
            {"+", Op::add},    {"-", Op::sub},  {"*", Op::mul},   {"/", Op::div}, {"==", Op::eq},
            {"!=", Op::ne},    {"<", Op::lt},   {"<=", Op::le},   {">", Op::gt},  {">=", Op::ge},
            {"and", Op::and_}, {"or", Op::or_}, {"not", Op::not_}};
        std::string_view t = text.s.substr(b, e - b);
        Open o{OpenKind::op, b, e};
        for (const auto& [word, value] : ops)
            if (word == t) o.op = value;
        opens.push_back(o);
    }
    void neg_op(size_t b, size_t e) { open({OpenKind::op, b, e, Op::neg}); }
    void not_op(size_t b, size_t e) { open({OpenKind::op, b, e, Op::not_}); }
    void unary(size_t, size_t) {
        Operand x = pop();
        Open o = pop_open();
        Expr& u = push(ExprKind::unary, o.begin, x.end);
        u.op = o.op;
        u.op_span = span(o.begin, o.end);
        u.args.push_back(std::move(x.e));
    }
    void binary(size_t, size_t) {
        Operand r = pop();
        Operand l = pop();
        Open o = pop_open();
        size_t chain = 1 + std::max(l.chain, r.chain);
        if (chain > max_operator_chain)
            fail("E0120", o.begin, o.end, "this expression is too long",
                 fmt::format("use at most {} operators in a row; a `const` can name a part", max_operator_chain));
        Expr& x = push(ExprKind::binary, l.begin, r.end);
        stack.back().chain = chain;
        x.op = o.op;
        x.op_span = span(o.begin, o.end);
        x.args.push_back(std::move(l.e));
        x.args.push_back(std::move(r.e));
    }
    void in_open(size_t b, size_t e) {
        bool negated = text.s[b] == 'n';
        size_t in_at = negated ? text.skip_space(b + 3) : b;
        open({OpenKind::list, b, in_at + 2, Op::eq, stack.size(), e - 1, negated});
    }
    void in_tail(size_t, size_t e) {
        Open o = pop_open();
        std::vector<ExprPtr> args;
        for (size_t i = o.depth - 1; i < stack.size(); ++i) args.push_back(std::move(stack[i].e));
        size_t begin = stack[o.depth - 1].begin;
        stack.resize(o.depth - 1);
        Expr& x = push(ExprKind::in_list, begin, e);
        x.flag = o.flag;
        x.op_span = span(o.begin, o.end);
        x.args = std::move(args);
    }
    void if_kw(size_t b, size_t e) { open({OpenKind::if_, b, e}); }
    void if_expr(size_t, size_t) {
        Operand no = pop(), yes = pop(), cond = pop();
        Open o = pop_open();
        Expr& x = push(ExprKind::if_then_else, o.begin, no.end);
        x.op_span = span(o.begin, o.end);
        x.args.push_back(std::move(cond.e));
        x.args.push_back(std::move(yes.e));
        x.args.push_back(std::move(no.e));
    }

    // const
    void const_kw(size_t b, size_t e) {
        cur_const = {};
        cur_const.span = span(b, e);
    }
    void const_name(size_t b, size_t e) {
        cur_const.name = str(b, e);
        cur_const.name_span = span(b, e);
    }
    void const_eq(size_t b, size_t) { eq_at = b; }
    void const_value(size_t, size_t) { cur_const.value = pop().e; }
    void const_decl(size_t, size_t) { module->consts.push_back(std::move(cur_const)); }
    void use_path(size_t b, size_t e) { module->uses.push_back(UseDecl{text_value(b, e), span(b, e)}); }

    // rule blocks and clauses
    void block_kind(size_t b, size_t e) {
        cur_rule = {};
        cur_rule.kind = str(b, e);
        cur_rule.kind_span = span(b, e);
    }
    void block_name(size_t b, size_t e) {
        cur_rule.name = text_value(b, e);
        cur_rule.name_span = span(b, e);
    }
    void rbrace(size_t b, size_t e) { cur_rule.close_span = span(b, e); }
    void rule_block(size_t, size_t) { module->rules.push_back(std::move(cur_rule)); }
    void clause_kw(size_t b, size_t e) {
        cur_clause = {};
        prefix_seen = false;
        cur_clause.keyword = str(b, e);
        cur_clause.keyword_span = span(b, e);
        kw_begin = b;
        kw_end = e;
    }
    void else_kw(size_t b, size_t e) {
        clause_kw(b, e);
        after_else = true;
    }
    void from_kw(size_t b, size_t e) {
        if (!after_else) clause_kw(b, e);
        cur_clause.keyword = "from";
        cur_clause.keyword_span = span(kw_begin, e);
        kw_end = e;
        after_else = false;
    }
    void clause_value(size_t, size_t) { cur_clause.value = pop().e; }
    void at_kw(size_t b, size_t e) { cur_clause.price_span = span(b, e); }
    void at_price(size_t, size_t) { cur_clause.price = pop().e; }
    void prefix_kw(size_t, size_t) { prefix_seen = true; }
    void table_name(size_t b, size_t e) {
        cur_clause.lookup.emplace();
        cur_clause.lookup->prefix = prefix_seen;
        cur_clause.lookup->table = str(b, e);
        cur_clause.lookup->table_span = span(b, e);
    }
    void key_column(size_t b, size_t e) {
        cur_clause.lookup->key_column = str(b, e);
        cur_clause.lookup->key_span = span(b, e);
    }
    void value_column(size_t b, size_t e) {
        cur_clause.lookup->value_column = str(b, e);
        cur_clause.lookup->value_span = span(b, e);
    }
    void clause(size_t, size_t) {
        cur_rule.clauses.push_back(std::move(cur_clause));
        after_else = false;
    }
};

// `2026-02-30 is not a date: February 2026 has 28 days`
void State::date_lit(size_t b, size_t e) {
    static const char* months[] = {"January",   "February", "March",    "April",
                                   "May",       "June",     "July",     "August",
                                   "September", "October",  "November", "December"};
    std::string t = str(b, e);
    int y = std::stoi(t.substr(0, 4));
    unsigned m = std::stoul(t.substr(5, 2)), d = std::stoul(t.substr(8, 2));
    date::year_month_day ymd{date::year{y}, date::month{m}, date::day{d}};
    if (!ymd.month().ok())
        fail("E0109", b, e, fmt::format("`{}` is not a date: months run 1 to 12", t),
             "dates are written year-month-day, as in 2026-09-01");
    if (!ymd.ok()) {
        auto last = date::year_month_day_last{ymd.year(), date::month_day_last{ymd.month()}}.day();
        unsigned n = static_cast<unsigned>(last);
        if (d == 0)
            fail("E0109", b, e, fmt::format("`{}` is not a date: days start at 1", t),
                 "dates are written year-month-day, as in 2026-09-01");
        fail("E0109", b, e,
             fmt::format("`{}` is not a date: {} {} has {} days", t, months[m - 1], y, n),
             fmt::format("the last day of {} {} is {}-{:02}", months[m - 1], y, t.substr(0, 7), n));
    }
    literal(LiteralKind::date, b, e).days = date::sys_days{ymd}.time_since_epoch().count();
}

template <typename Rule>
struct action : pg::nothing<Rule> {};

#define RATEBOOK_ON(rule, method)                                         \
    template <>                                                           \
    struct action<g::rule> {                                              \
        template <typename ActionInput>                                   \
        static void apply(const ActionInput& in, State& s) {              \
            size_t b = static_cast<size_t>(in.begin() - s.text.s.data()); \
            s.method(b, b + in.size());                                   \
        }                                                                 \
    }
RATEBOOK_ON(number_lit, number_lit);
RATEBOOK_ON(percent_lit, percent_lit);
RATEBOOK_ON(dollar_money, dollar_money);
RATEBOOK_ON(code_money, code_money);
RATEBOOK_ON(date_lit, date_lit);
RATEBOOK_ON(text_open, text_open);
RATEBOOK_ON(text_lit, text_lit);
RATEBOOK_ON(true_lit, bool_lit);
RATEBOOK_ON(false_lit, bool_lit);
RATEBOOK_ON(name_ref, name_ref);
RATEBOOK_ON(call_head, call_head);
RATEBOOK_ON(call, call);
RATEBOOK_ON(lparen, lparen);
RATEBOOK_ON(paren, paren);
RATEBOOK_ON(neg_op, neg_op);
RATEBOOK_ON(neg, unary);
RATEBOOK_ON(not_op, not_op);
RATEBOOK_ON(not_prefix, unary);
RATEBOOK_ON(mul_op, op);
RATEBOOK_ON(mul_tail, binary);
RATEBOOK_ON(add_op, op);
RATEBOOK_ON(add_tail, binary);
RATEBOOK_ON(cmp_op, op);
RATEBOOK_ON(cmp_bin, binary);
RATEBOOK_ON(and_op, op);
RATEBOOK_ON(and_tail, binary);
RATEBOOK_ON(or_op, op);
RATEBOOK_ON(or_tail, binary);
RATEBOOK_ON(in_open, in_open);
RATEBOOK_ON(in_tail, in_tail);
RATEBOOK_ON(if_kw, if_kw);
RATEBOOK_ON(if_expr, if_expr);
RATEBOOK_ON(const_kw, const_kw);
RATEBOOK_ON(const_name, const_name);
RATEBOOK_ON(const_eq, const_eq);
RATEBOOK_ON(const_value, const_value);
RATEBOOK_ON(const_decl, const_decl);
RATEBOOK_ON(use_path, use_path);
RATEBOOK_ON(block_kind, block_kind);
RATEBOOK_ON(block_name, block_name);
RATEBOOK_ON(rbrace, rbrace);
RATEBOOK_ON(rule_block, rule_block);
RATEBOOK_ON(clause_kw, clause_kw);
RATEBOOK_ON(else_kw, else_kw);
RATEBOOK_ON(from_kw, from_kw);
RATEBOOK_ON(clause_value, clause_value);
RATEBOOK_ON(at_kw, at_kw);
RATEBOOK_ON(at_price, at_price);
RATEBOOK_ON(from_value, clause_value);
RATEBOOK_ON(else_value, clause_value);
RATEBOOK_ON(prefix_kw, prefix_kw);
RATEBOOK_ON(table_name, table_name);
RATEBOOK_ON(key_column, key_column);
RATEBOOK_ON(value_column, value_column);
RATEBOOK_ON(clause, clause);
#undef RATEBOOK_ON

// ---- failures: what was expected, said in the author's words -----------------------------------

Diagnostic explain(g::Expect what, size_t at, const State& s);

template <typename Rule>
struct control : pg::normal<Rule> {
    template <typename ParseInput, typename... States>
    [[noreturn]] static void raise(const ParseInput& in, States&&... st) {
        static_assert(g::has_expect<Rule>, "a rule used in must<> needs an expect<> entry");
        size_t at = static_cast<size_t>(in.current() - in.begin());
        throw SyntaxError{explain(g::expect<Rule>, at, st...), at, false};
    }
};

Diagnostic diag(std::string code, Span span, std::string message, std::string help = {},
                std::vector<std::string> notes = {}) {
    return {Severity::error, std::move(code), std::move(message),
            std::move(span), std::move(help), std::move(notes)};
}

std::string reserved_words() {
    return "and, or, not, in, if, then, else, true, false, const, from, table";
}

// Characters a rule file never uses outside text and comments, with the likely intent.
std::optional<Diagnostic> unknown_character(const Text& t, size_t at) {
    char c = t.s[at];
    static const std::string_view known = "_#\"$%()[]{},.+-*/=<>";
    if (std::isalnum(static_cast<unsigned char>(c)) ||
        std::isspace(static_cast<unsigned char>(c)) || known.find(c) != std::string_view::npos ||
        (c == '!' && t.s.substr(at, 2) == "!="))
        return std::nullopt;
    struct Hint {
        std::string_view ch, name, help;
    };
    static const Hint hints[] = {
        {"\xC2\xA0", "a no-break space (U+00A0)", "replace it with an ordinary space"},
        {"\xE2\x80\x9C", "`\xE2\x80\x9C`",
         "text goes in straight double quotes, as in \"Compute\""},
        {"\xE2\x80\x9D", "`\xE2\x80\x9D`",
         "text goes in straight double quotes, as in \"Compute\""},
        {"\xE2\x80\x98", "`\xE2\x80\x98`",
         "text goes in straight double quotes, as in \"Compute\""},
        {"\xE2\x80\x99", "`\xE2\x80\x99`",
         "text goes in straight double quotes, as in \"Compute\""},
        {"'", "`'`", "text goes in double quotes, as in \"Compute\""},
        {"\xE2\x80\x93", "`\xE2\x80\x93`", "write `-` for minus"},
        {"\xE2\x80\x94", "`\xE2\x80\x94`", "write `-` for minus"},
        {"\xE2\x88\x92", "`\xE2\x88\x92`", "write `-` for minus"},
        {"\xC3\x97", "`\xC3\x97`", "write `*` to multiply"},
        {"\xC3\xB7", "`\xC3\xB7`", "write `/` to divide"},
        {"\xE2\x89\xA4", "`\xE2\x89\xA4`", "write `<=` for \"at most\""},
        {"\xE2\x89\xA5", "`\xE2\x89\xA5`", "write `>=` for \"at least\""},
        {"\xE2\x89\xA0", "`\xE2\x89\xA0`", "write `!=` for \"is not equal to\""},
        {"\xE2\x82\xAC", "`\xE2\x82\xAC`",
         "write euro amounts with the currency code after them, as in `100.00 EUR`"},
        {"\xC2\xA3", "`\xC2\xA3`",
         "write pound amounts with the currency code after them, as in `100.00 GBP`"},
        {"&", "`&`", "write `and` to require both conditions"},
        {"|", "`|`", "write `or` to accept either condition"},
        {"!", "`!`", "write `not` to negate a condition, or `!=` for \"is not equal to\""},
        {";", "`;`", "remove it: clauses need nothing between them"},
    };
    size_t end = t.token_end(at);
    if (c == '&' || c == '|') end = at + 1;
    std::string_view ch = t.s.substr(at, end - at);
    for (const Hint& h : hints)
        if (ch == h.ch)
            return diag("E0101", t.span(at, end),
                        fmt::format("unknown character{}{}", h.name[0] == '`' ? " " : ": ", h.name),
                        std::string(h.help));
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
        return diag(
            "E0101", t.span(at, end),
            fmt::format("unknown character: U+{:04X}, an invisible control character", int(c)),
            "delete it and retype the text around it");
    if (static_cast<unsigned char>(c) >= 0x80)
        return diag("E0101", t.span(at, end), fmt::format("unknown character `{}`", ch),
                    "names use only the letters A to Z, digits and `_`; other characters can go "
                    "inside double quotes");
    return diag("E0101", t.span(at, end), fmt::format("unknown character `{}`", ch),
                "remove it; outside double quotes and comments a rule file uses letters, digits "
                "and `$ % ( ) [ ] { } , . + - * / = < >`");
}

// The usual reasons a complete value is followed by something that cannot continue it.
std::optional<Diagnostic> after_value_hint(const Text& t, size_t at, const Expr* last) {
    std::string_view rest = t.s.substr(at);
    if (rest.starts_with("=") && !rest.starts_with("=="))
        return diag("E0106", t.span(at, at + 1), "a single `=` cannot compare values",
                    "use `==` to compare (a single `=` is only for `const`)");
    for (std::string_view cmp : {"==", "!=", "<=", ">=", "<", ">"}) {
        if (!rest.starts_with(cmp)) continue;
        std::string help = "compare two values at a time and join the comparisons with `and`";
        bool is_cmp =
            last && last->kind == ExprKind::binary && last->op >= Op::eq && last->op <= Op::ge;
        if (is_cmp && t.line_index(at) + 1 == last->span.line) {
            size_t right = t.skip_blanks(at + cmp.size());
            help +=
                fmt::format(": `{} and {} {} {}`", t.text(last->span), t.text(last->args[1]->span),
                            cmp, t.text(right, t.token_end(right)));
        } else {
            help += ", as in `a < b and b < c`";
        }
        return diag("E0115", t.span(at, at + cmp.size()), "comparisons cannot be chained", help);
    }
    if (rest.starts_with(",") && at > 0 && is_digit(t.s[at - 1]) && rest.size() > 1 &&
        is_digit(rest[1])) {
        size_t b = at, e = at;
        while (b > 0 && (is_digit(t.s[b - 1]) || t.s[b - 1] == ',' || t.s[b - 1] == '.')) --b;
        while (e < t.s.size() && (is_digit(t.s[e]) || t.s[e] == ',' || t.s[e] == '.')) ++e;
        std::string num = t.text(b, e);
        std::string help = "group the digits in threes, as in `1,250,000.00`";
        if (std::count(num.begin(), num.end(), ',') == 1 && num.find('.') == std::string::npos) {
            std::string dot = num;
            dot[dot.find(',')] = '.';
            help = fmt::format(
                "write `{}` for a decimal (the decimal point is `.`), or group the "
                "digits in threes, as in `1,250,000`",
                dot);
        }
        return diag("E0110", t.span(b, e),
                    fmt::format("`{}` is not a number: a thousands separator `,` must be followed "
                                "by exactly 3 digits",
                                num),
                    help);
    }
    if (std::isalpha(static_cast<unsigned char>(rest[0]))) {
        std::string word = t.text(at, t.ident_end(at)), lower = word;
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        for (std::string_view kw : {"and", "or", "not", "in", "then", "else"})
            if (lower == kw && word != kw)
                return diag("E0119", t.span(at, at + word.size()),
                            fmt::format("unexpected `{}`", word),
                            fmt::format("reserved words are written in lowercase: `{}`", kw));
    }
    if (rest.starts_with("%"))
        return diag("E0119", t.span(at, at + 1), "`%` must follow its number directly",
                    "write percentages without a space, as in `4.5%`");
    return std::nullopt;
}

// The value just completed before a failure at a place where a value ends.
const Expr* last_value(g::Expect e, const State& s) {
    if (e == g::Expect::const_end) return s.cur_const.value.get();
    return s.stack.empty() ? nullptr : s.stack.back().e.get();
}

bool ends_a_value(g::Expect e) {
    using E = g::Expect;
    return e == E::rbrace || e == E::then_kw || e == E::if_else_kw || e == E::rparen ||
           e == E::call_close || e == E::rbracket || e == E::const_end || e == E::expr_end;
}

std::string rule_title(const RuleDecl& r) {
    return r.name.empty() ? fmt::format("the {} rule", r.kind)
                          : fmt::format("the {} rule \"{}\"", r.kind, r.name);
}

// What is missing after the operator `op`: {message, help}.
std::pair<std::string, std::string> operand_message(const std::string& op, bool unary = false) {
    if (op == "and" || op == "or" || op == "not")
        return {fmt::format("expected a condition after `{}`", op),
                "a condition compares values, as in `ServiceCategory == \"Compute\"`"};
    if (op == "==" || op == "!=" || op == "<" || op == "<=" || op == ">" || op == ">=")
        return {fmt::format("expected a value to compare with after `{}`", op),
                "a comparison has a value on each side, as in `ServiceCategory == \"Compute\"`"};
    std::string_view verb = op == "+"   ? "add"
                            : op == "*" ? "multiply by"
                            : op == "/" ? "divide by"
                                        : "subtract";
    std::string help = unary ? "write a number, a column name or `(` right after `-`, as in `-5`"
                       : op == "-"
                           ? "write the value to subtract, or remove the `-`"
                           : fmt::format("write the value to {}, or remove the `{}`", verb, op);
    return {fmt::format("expected a number, a column name or `(` after `{}`", op), help};
}

// `match A and` or `charge` with nothing after it on its line: the clause keyword on the next
// line (`ru`) was read as the missing value, and the parse failed one token later.
std::optional<Diagnostic> swallowed_keyword(size_t at, const State& s) {
    const Text& t = s.text;
    const RuleDecl& r = s.cur_rule;
    size_t first = t.skip_blanks(t.line_begin(at));
    if (r.clauses.empty() || first == at || !std::isalpha(static_cast<unsigned char>(t.s[first])))
        return std::nullopt;
    const Clause& last = r.clauses.back();
    if (t.line_index(first) + 1 <= last.keyword_span.line) return std::nullopt;
    size_t end = t.prev_token_end(first);
    size_t begin = t.prev_token_begin(end);
    std::string word = t.text(first, t.ident_end(first));
    std::string prev = t.text(begin, end);
    Span prev_span = t.span(begin, end);
    if (prev_span.line == last.keyword_span.line && prev == last.keyword)
        return diag("E0104", prev_span, fmt::format("expected a value after `{}`", prev),
                    fmt::format("`{}` on the next line was read as the value of `{}`", word, prev));
    static const std::vector<std::string> ops = {"and", "or", "not", "+",  "-", "*",  "/",
                                                 "==",  "!=", "<",   "<=", ">", ">=", ","};
    if (std::find(ops.begin(), ops.end(), prev) == ops.end()) return std::nullopt;
    std::string message = operand_message(prev).first;
    return diag("E0104", prev_span, message,
                fmt::format("`{}` on the next line was read as part of the `{}` clause", word,
                            last.keyword));
}

// The clause list of a rule block ended at `at` without `}`.
Diagnostic explain_block_end(size_t at, const State& s) {
    const Text& t = s.text;
    const RuleDecl& r = s.cur_rule;
    uint32_t opened = r.kind_span.line;
    bool new_item = at < t.s.size() && t.matches<g::item_start>(at);
    if (at >= t.s.size() || new_item) {
        size_t p = t.prev_token_end(at);
        std::string help = r.clauses.empty() ? "add `}` to end the rule"
                           : r.name.empty()
                               ? "add `}` after its last clause"
                               : fmt::format("add `}}` after the last clause of \"{}\"", r.name);
        std::vector<std::string> notes;
        if (new_item)
            notes.push_back(
                fmt::format("line {} starts a new {} while {} is still open", t.line_index(at) + 1,
                            t.s.substr(at, 5) == "const" ? "`const`" : "rule", rule_title(r)));
        return diag(
            "E0102", t.span(p, p),
            fmt::format("expected `}}` to close {} opened at line {}", rule_title(r), opened), help,
            notes);
    }
    const Expr* last = r.clauses.empty() ? nullptr : r.clauses.back().value.get();
    if (auto d = after_value_hint(t, at, last)) return *d;
    if (auto d = swallowed_keyword(at, s)) return *d;
    std::string keywords = r.kind == "account"
                               ? "a keyword such as `from` or `else`"
                               : "a keyword such as `match`, `ru`, `volume` or `charge`";
    if (r.clauses.empty() || t.first_on_line(at))
        return diag("E0111", t.span(at, t.token_end(at)), "this clause has no keyword",
                    keywords + " must start each clause");
    return diag(
        "E0119", t.span(at, t.token_end(at)),
        fmt::format("unexpected {} after the `{}` clause", t.found(at), r.clauses.back().keyword),
        "is an operator such as `+`, `*` or `and` missing? Otherwise start a new clause "
        "with its keyword");
}

// `{` did not follow a rule's kind and name.
Diagnostic explain_block_open(size_t at, const State& s) {
    const Text& t = s.text;
    const RuleDecl& r = s.cur_rule;
    const auto& kinds = known_kinds();
    bool known = std::find(kinds.begin(), kinds.end(), r.kind) != kinds.end();
    if (!known && r.name.empty()) {
        static const std::vector<std::string> clause_words = {
            "match", "ru", "volume", "charge", "priority", "unit", "description", "effective"};
        std::string help = "a rule starts with its kind and name, as in `rate \"Cloud compute\" {`";
        if (std::find(clause_words.begin(), clause_words.end(), r.kind) != clause_words.end())
            help =
                fmt::format("a `{}` clause goes inside a rule, between its `{{` and `}}`", r.kind);
        else if (std::string k = closest_name(r.kind, kinds); !k.empty())
            help = fmt::format(
                "did you mean `{}`? A rule starts with its kind and name, as in `rate \"Cloud "
                "compute\" {{`",
                k);
        return diag("E0113", r.kind_span,
                    fmt::format("expected a rule or a `const`, found `{}`", r.kind), help);
    }
    if (r.name.empty() && at < t.s.size() && std::isalpha(static_cast<unsigned char>(t.s[at]))) {
        size_t e = std::min(t.s.find('{', at), t.line_end(at));
        while (e > at && is_blank(t.s[e - 1])) --e;
        return diag("E0113", t.span(at, e), "expected the rule's name in double quotes, or `{`",
                    fmt::format("write `{} \"{}\" {{`", r.kind, t.text(at, e)));
    }
    std::string what =
        r.name.empty() ? fmt::format("`{}`", r.kind) : fmt::format("`{} \"{}\"`", r.kind, r.name);
    return diag("E0113", t.here(at), fmt::format("expected `{{` after {}", what),
                "a rule's clauses go between `{` and `}`");
}

// A value was required at `at`. `far_span` marks what it should follow, for when `at` is on
// a later line.
Diagnostic missing_value(size_t at, const State& s, std::string message, Span far_span,
                         std::string help = {}) {
    const Text& t = s.text;
    std::string_view rest = t.s.substr(std::min(at, t.s.size()));
    for (std::string_view w : {"table", "from", "const", "in"}) {
        size_t e = at + w.size();
        if (rest.starts_with(w) && (e >= t.s.size() || !is_ident_char(t.s[e]))) {
            size_t p = e;
            while (p < t.s.size() && is_blank(t.s[p])) ++p;
            if (w == "table" || (p < t.s.size() &&
                                 std::string_view("=!<>(.").find(t.s[p]) != std::string_view::npos))
                return diag("E0114", t.span(at, e),
                            fmt::format("`{}` is a reserved word and cannot be used as a name", w),
                            "choose another name; the reserved words are " + reserved_words());
        }
    }
    Span span = t.near(at) || !far_span.valid() ? t.here(at) : far_span;
    return diag("E0104", span, std::move(message), std::move(help));
}

Diagnostic explain_operand(size_t at, const State& s) {
    const Text& t = s.text;
    const Open& o = s.opens.back();
    std::string op = t.text(o.begin, o.end);
    if (op == "<" && at == o.end && at < t.s.size() && t.s[at] == '>')
        return diag("E0106", t.span(o.begin, at + 1), "`<>` is not a comparison",
                    "use `!=` for \"is not equal to\"");
    auto [message, help] = operand_message(op, o.op == Op::neg);
    return missing_value(at, s, message, t.span(o.begin, o.end), help);
}

// A bracket, call or list opened by `o` is not closed at `at`.
Diagnostic explain_unclosed(size_t at, const State& s) {
    const Text& t = s.text;
    const Open& o = s.opens.back();
    std::string name = t.text(o.begin, o.end);
    if (o.kind == OpenKind::list) {
        if (!t.near(at))
            return diag("E0108", t.span(o.mark, o.mark + 1), "this list is not closed",
                        "add `]` after the last value");
        return diag(
            "E0108", t.here(at),
            fmt::format("expected `,` or `]` after a value in the list, found {}", t.found(at)),
            "separate the values with `,`");
    }
    if (o.kind == OpenKind::call) {
        if (!t.near(at))
            return diag("E0107", t.span(o.begin, o.mark + 1),
                        fmt::format("`{}(` is not closed", name),
                        fmt::format("add `)` after the last argument of `{}`", name));
        return diag("E0107", t.here(at),
                    fmt::format("expected `,` or `)` after an argument of `{}`, found {}", name,
                                t.found(at)),
                    "separate the arguments with `,`");
    }
    if (!t.near(at))
        return diag("E0107", t.span(o.begin, o.end), "this `(` is not closed",
                    "add `)` where the bracketed part ends");
    return diag(
        "E0107", t.here(at), fmt::format("expected `)`, found {}", t.found(at)),
        fmt::format("is an operator such as `+`, `*` or `and` missing before {}?", t.found(at)));
}

Diagnostic explain_lookup(g::Expect what, size_t at, const State& s) {
    const Text& t = s.text;
    const std::optional<TableLookup>& l = s.cur_clause.lookup;
    std::string message;
    switch (what) {
        case g::Expect::table_name: message = "expected a table name after `in table`"; break;
        case g::Expect::lookup_dot:
            message =
                fmt::format("expected `.` and the key column after the table name `{}`", l->table);
            break;
        case g::Expect::key_column:
            message = fmt::format("expected the key column after `{}.`", l->table);
            break;
        case g::Expect::lookup_arrow:
            message = fmt::format("expected `->` after `{}.{}`", l->table, l->key_column);
            break;
        default: message = "expected the result column after `->`";
    }
    if (at < t.s.size() && t.matches<g::keyword>(at) && what != g::Expect::lookup_dot &&
        what != g::Expect::lookup_arrow) {
        size_t e = t.ident_end(at);
        return diag(
            "E0114", t.span(at, e),
            fmt::format("`{}` is a reserved word and cannot be used as a name", t.text(at, e)),
            "choose another name; the reserved words are " + reserved_words());
    }
    return diag("E0117", t.here(at), message,
                "a table lookup is written `in table accounts.CostCenter -> AccountCode`");
}

Diagnostic explain_const(g::Expect what, size_t at, const State& s) {
    const Text& t = s.text;
    const std::string& name = s.cur_const.name;
    if (what == g::Expect::const_name) {
        if (at < t.s.size() && t.matches<g::keyword>(at)) {
            size_t e = t.ident_end(at);
            return diag(
                "E0114", t.span(at, e),
                fmt::format("`{}` is a reserved word and cannot be used as a name", t.text(at, e)),
                "choose another name; the reserved words are " + reserved_words());
        }
        return diag("E0112", t.here(at), "expected a name after `const`",
                    "write a name and a value, as in `const admin_fee = 4.5%`");
    }
    if (what == g::Expect::const_eq) {
        size_t b = at + (t.s.substr(at, 2) == "==" ? 2 : 0);
        size_t e = t.near(at) ? t.comment_start(b, t.line_end(b)) : b;
        std::string value = t.text(b, e);
        value.erase(0, value.find_first_not_of(" \t"));
        value.erase(value.find_last_not_of(" \t") + 1);
        return diag("E0112", t.here(at), fmt::format("expected `=` after `const {}`", name),
                    fmt::format("write `const {} = {}`", name, value.empty() ? "4.5%" : value));
    }
    if (what == g::Expect::const_value)
        return missing_value(at, s, fmt::format("expected a value for `{}` after `=`", name),
                             t.span(s.eq_at, s.eq_at + 1),
                             "give the constant its value, as in `const admin_fee = 4.5%`");
    return diag("E0119", t.here(at),
                fmt::format("unexpected {} after the value of `{}`", t.found(at), name),
                "a `const` holds one value; is an operator such as `+` or `*` missing?");
}

Diagnostic explain_text(g::Expect what, size_t at, const State& s) {
    const Text& t = s.text;
    if (what == g::Expect::escaped && at < t.line_end(at))
        return diag("E0118", t.span(at - 1, t.char_end(at)),
                    fmt::format("`\\{}` is not allowed in text", t.text(at, t.char_end(at))),
                    "inside text, write `\\\"` for a quote and `\\\\` for a backslash");
    if (what == g::Expect::text_close && at < t.s.size()) {
        unsigned char c = static_cast<unsigned char>(t.s[at]);
        if ((c < 32 && c != '\n' && c != '\r') || c == 127)
            return diag("E0121", t.span(at, at + 1),
                        fmt::format("text contains the control character 0x{:02X}{}", c, c == '\t' ? " (a tab)" : ""),
                        "retype the text without it; quoted text holds printable characters only");
    }
    return diag("E0103", t.span(s.text_at, t.line_end(s.text_at)), "this text is not closed",
                "add `\"` before the end of the line");
}

Diagnostic explain_item(size_t at, const State& s) {
    const Text& t = s.text;
    if (t.s[at] == '}')
        return diag("E0113", t.span(at, at + 1), "unexpected `}`: no rule is open here",
                    "remove it, or look for an extra `}` in the rule above");
    std::string help =
        t.s[at] == '"' ? "write the rule's kind before its name, as in `rate \"Cloud compute\" {`"
                       : "a rule starts with its kind and name, as in `rate \"Cloud compute\" {`";
    return diag("E0113", t.span(at, t.token_end(at)),
                fmt::format("expected a rule or a `const`, found {}", t.found(at)), help);
}

Diagnostic explain(g::Expect what, size_t at, const State& s) {
    using E = g::Expect;
    const Text& t = s.text;
    if (what != E::text_close && what != E::escaped && at < t.s.size())
        if (auto d = unknown_character(t, at)) return *d;
    if (ends_a_value(what) && what != E::rbrace && at < t.s.size())
        if (auto d = after_value_hint(t, at, last_value(what, s))) return *d;
    const std::string if_help = "write `if condition then value else other value`";
    Span kw = t.span(s.kw_begin, s.kw_end);
    switch (what) {
        case E::item: return explain_item(at, s);
        case E::const_name:
        case E::const_eq:
        case E::const_value:
        case E::const_end: return explain_const(what, at, s);
        case E::lbrace: return explain_block_open(at, s);
        case E::rbrace: return explain_block_end(at, s);
        case E::clause_value:
            if (s.cur_clause.keyword == "prefix")  // `from ResourceId prefix` with no table after it
                return missing_value(at, s, "expected `in table` after `prefix`", kw,
                                     "a prefix source reads `from ResourceId prefix in table "
                                     "resource_prefixes.Prefix -> AccountCode`");
            return missing_value(
                at, s, fmt::format("expected a value after `{}`", s.cur_clause.keyword), kw);
        case E::from_value:
            return missing_value(
                at, s, "expected a value after `from`", kw,
                "as in `from tag(\"cost-center\") in table accounts.CostCenter -> AccountCode`");
        case E::at_price:
            return missing_value(at, s, "expected a price after `at`", kw,
                                 "write the price per unit, as in `first 50,000 at $0.023`");
        case E::else_value:
            return missing_value(at, s, "expected a value or `from` after `else`", kw,
                                 "write the value to use when nothing above applies, as in `else "
                                 "\"99999-SUSPENSE\"`");
        case E::table_name:
        case E::lookup_dot:
        case E::key_column:
        case E::lookup_arrow:
        case E::value_column: return explain_lookup(what, at, s);
        case E::if_cond:
            return missing_value(at, s, "expected a condition after `if`",
                                 t.span(s.opens.back().begin, s.opens.back().end));
        case E::then_kw:
            return diag("E0105", t.here(at), "expected `then` after the condition of `if`",
                        if_help);
        case E::then_value: return missing_value(at, s, "expected a value after `then`", {});
        case E::if_else_kw:
            return diag("E0105", t.here(at),
                        "expected `else`: an `if` needs a value for when the condition is false",
                        if_help);
        case E::else_branch: return missing_value(at, s, "expected a value after `else`", {});
        case E::operand: return explain_operand(at, s);
        case E::paren_inner: return missing_value(at, s, "expected a value after `(`", {});
        case E::call_arg:
            return missing_value(at, s,
                                 fmt::format("expected an argument for `{}` after `,`",
                                             t.text(s.opens.back().begin, s.opens.back().end)),
                                 {});
        case E::rparen:
        case E::call_close:
        case E::rbracket: return explain_unclosed(at, s);
        case E::lbracket:
            if (s.cur_clause.keyword == "from" && at < t.s.size() &&
                std::isalpha(static_cast<unsigned char>(t.s[at])))
                return diag(
                    "E0117", t.here(at), "expected `table` after `in`",
                    "a table lookup is written `in table accounts.CostCenter -> AccountCode`");
            return diag("E0108", t.here(at), "expected `[` after `in`",
                        "list the values in square brackets, as in `ServiceCategory in "
                        "[\"Compute\", \"Storage\"]`");
        case E::list_item:
            return missing_value(at, s, "expected a value after `,` in the list", {},
                                 "remove the last `,` or add a value after it");
        case E::dollar_amount:
            return missing_value(at, s, "expected an amount after `$`", {},
                                 "write amounts as `$1,250.00`");
        case E::escaped:
        case E::text_close: return explain_text(what, at, s);
        case E::whole_expr: return missing_value(at, s, "expected a value", {});
        case E::use_path:
            return diag("E0113", t.here(at), "expected a library name in double quotes after `use`",
                        "write `use \"sla/aws_compute\"` for stdlib/sla/aws_compute.rules");
        case E::use_end:
            return diag("E0119", t.here(at), fmt::format("unexpected {} after `use`", t.found(at)),
                        "a `use` line names one library and nothing else");
        case E::expr_end:
            return diag("E0119", t.here(at),
                        fmt::format("unexpected {} after the value", t.found(at)),
                        "is an operator such as `+`, `*` or `and` missing?");
    }
    return diag("E0113", t.here(at), "this line cannot be read");
}

}  // namespace

// ---- entry points ------------------------------------------------------------------------------

Module parse_rules(std::shared_ptr<const SourceFile> file, Diagnostics& diags) {
    Module m;
    m.file = file;
    Text t(file);
    size_t pos = t.skip_space(0);
    while (pos < t.s.size()) {
        State s(t);
        s.module = &m;
        Input in(t.s.data(), t.s.data() + t.s.size(), file->name.c_str());
        in.bump(pos);
        try {
            pg::parse<g::item, action, control>(in, s);
            pos = static_cast<size_t>(in.current() - t.s.data());
        } catch (SyntaxError& e) {
            diags.add(std::move(e.diagnostic));
            pos = e.resume_here ? e.at : t.recover(pos, e.at);
        }
        pos = t.skip_space(pos);
    }
    return m;
}

ExprPtr parse_expression(std::shared_ptr<const SourceFile> file, Diagnostics& diags) {
    Text t(file);
    State s(t);
    Input in(t.s.data(), t.s.data() + t.s.size(), file->name.c_str());
    try {
        pg::parse<g::expression_input, action, control>(in, s);
        return std::move(s.stack.back().e);
    } catch (SyntaxError& e) {
        diags.add(std::move(e.diagnostic));
        return nullptr;
    }
}

}  // namespace ratebook
