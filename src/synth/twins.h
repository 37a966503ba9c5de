// Twins in a generated registry: the hard case of record linkage where two persons agree on everything
// a household shares (family name, father, mother, commune, phone) and on the birth date, and differ
// only by given name (and national id). Applied after generation, so the household generator keeps its
// RNG streams and the output of a given seed changes only where twins are made.
#pragma once

#include <cstdint>

#include "synth/registry.h"

namespace sanad::synth {

// Makes twins of consecutive children of one original household (same father and mother, different
// given names): with probability `share` per eligible pair, decided by a hash of (registry.seed, row),
// the younger takes the elder's birth date (and year-only flag) and schooling, as twins share a school
// year. Rows that duplicate a changed person
// take the same date, so that a twin's duplicate registration stays the twin's. The truth columns are
// untouched: twins stay two persons. Returns the number of twin pairs made. Deterministic.
std::size_t MakeTwins(Registry& registry, double share);

}  // namespace sanad::synth
