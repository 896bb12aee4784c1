#include <fmt/format.h>

#include "cli/command.hpp"

namespace ratebook::cli {

std::optional<std::string> Args::value(const std::string& name) const {
    auto it = options.find(name);
    if (it == options.end() || it->second.empty()) return std::nullopt;
    return it->second.back();
}

std::vector<std::string> Args::values(const std::string& name) const {
    auto it = options.find(name);
    return it == options.end() ? std::vector<std::string>{} : it->second;
}

bool parse_args(const std::vector<std::string>& argv, const OptionSpec& spec, Args& out,
                std::string& error) {
    for (size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.rfind("--", 0) != 0 || a == "--") {
            out.positional.push_back(a);
            continue;
        }
        std::string name = a, inline_value;
        bool has_inline = false;
        if (auto eq = a.find('='); eq != std::string::npos) {
            name = a.substr(0, eq);
            inline_value = a.substr(eq + 1);
            has_inline = true;
        }
        if (name == "--help" || spec.flags.count(name)) {
            out.flags.insert(name);
            continue;
        }
        bool multi = spec.multi_value.count(name) > 0;
        if (!multi && !spec.with_value.count(name)) {
            error = fmt::format("unknown option `{}` (see --help)", name);
            return false;
        }
        auto& values = out.options[name];
        if (has_inline) {
            values.push_back(inline_value);
            continue;
        }
        size_t before = values.size();
        while (i + 1 < argv.size() && argv[i + 1].rfind("--", 0) != 0) {
            values.push_back(argv[++i]);
            if (!multi) break;
        }
        if (values.size() == before) {
            error = fmt::format("option `{}` needs a value", name);
            return false;
        }
    }
    return true;
}

}  // namespace ratebook::cli
