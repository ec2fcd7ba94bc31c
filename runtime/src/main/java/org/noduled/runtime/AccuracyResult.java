package org.noduled.runtime;

/**
 * What {@code bench accuracy} measured on its phantoms: the count at the card's operating point, and the FROC
 * curve over every finding's score, both over the card's population (nodules >= 4 mm).
 */
record AccuracyResult(AccuracyTally atOperatingPoint, FrocTally froc) {
}
