// A training certificate as a one-page PDF (A4 landscape), in Arabic (right to left) or French, drawn
// with Pango over Cairo: HarfBuzz shapes the Arabic letters, the font is DejaVu Sans (fonts-dejavu-core).
// No SQL, no HTTP: the route gives the texts, this gives the bytes.
#pragma once

#include <string>

#include "core/error.h"

namespace sanad::empowerment {

struct CertificateText {
  std::string lang;  // ar | fr
  std::string name;  // her full name as she wrote it
  std::string training_title;
  std::string topic;                 // digital_skills | business_creation | management | other
  std::string first_day, last_day;   // YYYY-MM-DD
  std::string completed_on;          // YYYY-MM-DD
  std::string verification_code;     // printed; checked at the public address below
  std::string verification_address;  // e.g. /api/v1/public/empowerment/certificates/{code}
};

// Errors: kInvalidArgument for a language other than ar or fr; kInternal when Cairo fails.
Result<std::string> RenderCertificatePdf(const CertificateText& text);
// The same page as a PNG at `scale` (1: 842×595 pixels): a preview, and how the page is looked at where
// no PDF renderer is installed.
Result<std::string> RenderCertificatePng(const CertificateText& text, double scale = 1.5);

}  // namespace sanad::empowerment
