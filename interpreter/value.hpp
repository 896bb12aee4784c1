// A runtime value. The checker has proved every type, so the VM carries no type tags: the
// compiler picks opcodes by type and each slot holds the member its type says.
//   decimal, percent (as a fraction: 4.5% is 0.045), money, quantity -> num
//   text -> text (bytes plus an interned symbol when known), date -> days, bool -> flag
#pragma once
#include <cstdint>
#include <cstring>
#include <string_view>

#include "interpreter/decimal.hpp"

namespace ratebook {

struct TextRef {
    const char* data;
    uint32_t size;
    uint32_t sym;  // interned id (> 0) for texts known at compile time; 0 = not interned

    std::string_view view() const { return {data, size}; }
    friend bool operator==(const TextRef& a, const TextRef& b) {
        if (a.sym != 0 && b.sym != 0) return a.sym == b.sym;  // the fast path: integer compare
        return a.size == b.size && (a.size == 0 || std::memcmp(a.data, b.data, a.size) == 0);
    }
};

union Value {
    Decimal num;
    TextRef text;
    int32_t days;
    bool flag;

    Value() : num() {}
    static Value of(const Decimal& d) { Value v; v.num = d; return v; }
    static Value of_text(std::string_view s, uint32_t sym = 0) {
        Value v;
        v.text = TextRef{s.data(), static_cast<uint32_t>(s.size()), sym};
        return v;
    }
    static Value of_days(int32_t d) { Value v; v.days = d; return v; }
    static Value of_bool(bool b) { Value v; v.flag = b; return v; }
};

}  // namespace ratebook
