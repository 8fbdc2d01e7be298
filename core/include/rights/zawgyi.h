// Burmese written for the Zawgyi font, told apart from Unicode and converted to it.
#pragma once

#include <string>
#include <string_view>

namespace rights {

/// True if `utf8` holds Burmese encoded for the Zawgyi font rather than in Unicode's order
/// (signs typed before the consonant, U+1039 as the asat), often enough that it is not a
/// typo: at least 2 such sequences and one per 50 Myanmar characters. False for text
/// without Myanmar characters (a scan of the text).
bool looks_like_zawgyi(std::string_view utf8);

/// `utf8` converted from Zawgyi to Unicode by ICU's Zawgyi-my transform (CLDR); other
/// characters are kept. Throws std::runtime_error if ICU lacks the transform.
std::string zawgyi_to_unicode(std::string_view utf8);

}  // namespace rights
