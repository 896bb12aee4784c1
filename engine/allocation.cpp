#include "engine/allocation.hpp"

#include <algorithm>
#include <numeric>

namespace ratebook {

std::vector<Decimal> allocate_largest_remainder(const Decimal& amount, const std::vector<Decimal>& weights,
                                                int places) {
    const size_t n = weights.size();
    std::vector<Decimal> parts(n);
    if (n == 0) return parts;
    Decimal total_weight;
    for (const Decimal& w : weights) total_weight += w;
    std::vector<Decimal> w = weights;
    if (total_weight.is_zero()) {
        std::fill(w.begin(), w.end(), Decimal::from_int(1));
        total_weight = Decimal::from_int(static_cast<int64_t>(n));
    }
    const Decimal cent = Decimal::from_parts(1, places);
    std::vector<Decimal> remainder(n);
    Decimal allocated;
    for (size_t i = 0; i < n; ++i) {
        // amount x (w / W) rather than (amount x w) / W keeps magnitudes small; both are
        // exact to 18 places, far below a cent.
        Decimal exact = amount * (w[i] / total_weight);
        parts[i] = exact.rounded(places, RoundingMode::floor);
        remainder[i] = exact - parts[i];
        allocated += parts[i];
    }
    // Whole cents still to hand out: (amount - allocated) / cent, an exact whole number.
    Decimal missing = (amount - allocated) / cent;
    auto count = static_cast<size_t>(missing.rounded(0).coefficient());
    std::vector<size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return remainder[a] > remainder[b]; });
    for (size_t k = 0; k < count && k < n; ++k) parts[order[k]] += cent;
    return parts;
}

}  // namespace ratebook
