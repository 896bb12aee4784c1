#include "engine/plain_tags.hpp"

namespace ratebook {
namespace {

inline bool json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

}  // namespace

bool parse_plain_tags(std::string_view json, std::vector<Tag>& out) {
    out.clear();
    const char* p = json.data();
    const char* end = p + json.size();
    auto ws = [&] {
        while (p < end && json_space(*p)) ++p;
    };
    auto text = [&](std::string_view& dst) {
        if (p == end || *p != '"') return false;
        const char* begin = ++p;
        while (p < end && *p != '"' && *p != '\\' && static_cast<unsigned char>(*p) >= 0x20) ++p;
        if (p == end || *p != '"') return false;
        dst = std::string_view(begin, static_cast<size_t>(p - begin));
        ++p;
        return true;
    };
    ws();
    if (p == end || *p != '{') return false;
    ++p;
    ws();
    if (p < end && *p == '}') {
        ++p;
    } else {
        for (;;) {
            std::string_view key, value;
            if (!text(key)) return false;
            ws();
            if (p == end || *p != ':') return false;
            ++p;
            ws();
            if (!text(value)) return false;
            bool seen = false;
            for (Tag& t : out)
                if (t.key == key) t.value = value, seen = true;
            if (!seen) out.push_back(Tag{key, value});
            ws();
            if (p < end && *p == '}') {
                ++p;
                break;
            }
            if (p == end || *p != ',') return false;
            ++p;
            ws();
        }
    }
    ws();
    return p == end;
}

}  // namespace ratebook
