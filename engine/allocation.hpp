// Splitting an amount over weights so the parts sum to the amount exactly, to the cent.
#pragma once
#include <vector>

#include "interpreter/decimal.hpp"

namespace ratebook {

// Largest-remainder (Hamilton) apportionment: each part is its exact share
// amount x weight / sum(weights) rounded down to `places`, then the cents still missing go one
// each to the parts with the largest remainders (ties to the earlier part). The parts always
// sum to `amount` (which must have at most `places` decimals), and no part differs from its
// exact share by a cent or more. Zero total weight: split evenly by the same method.
std::vector<Decimal> allocate_largest_remainder(const Decimal& amount, const std::vector<Decimal>& weights,
                                                int places);

}  // namespace ratebook
