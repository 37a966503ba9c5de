#include "empowerment/certificate_pdf.h"

#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include <memory>

namespace sanad::empowerment {
namespace {

constexpr double kWidth = 842, kHeight = 595;  // A4 landscape, points

struct Labels {
  const char* heading;
  const char* certifies;
  const char* followed;
  const char* dates;  // {from} … {to}
  const char* completed;
  const char* verify;
  const char* topics[4];
};

// The certificate's own wording in each language (the message catalogues serve the API and pages).
constexpr Labels kArabic{"شهادة تكوين",
                         "تشهد منصة التمكين الاقتصادي للمرأة أن السيدة",
                         "قد تابعت بنجاح الدورة التكوينية",
                         "من %s إلى %s",
                         "تاريخ الإتمام: %s",
                         "رمز التحقق: %s",
                         {"المهارات الرقمية", "إنشاء المقاولة", "التدبير", "مواضيع أخرى"}};
constexpr Labels kFrench{"Attestation de formation",
                         "La plateforme d'autonomisation économique des femmes atteste que Madame",
                         "a suivi avec succès la formation",
                         "du %s au %s",
                         "Achevée le %s",
                         "Code de vérification : %s",
                         {"Compétences numériques", "Création d'entreprise", "Gestion", "Autres thèmes"}};

const char* TopicLabel(const Labels& l, const std::string& topic) {
  if (topic == "digital_skills") return l.topics[0];
  if (topic == "business_creation") return l.topics[1];
  if (topic == "management") return l.topics[2];
  return l.topics[3];
}

// DD/MM/YYYY, as dates are written in both countries.
std::string Day(const std::string& iso) {
  if (iso.size() != 10) return iso;
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::string Format(const char* pattern, const std::string& a, const std::string& b = {}) {
  std::string out(pattern);
  auto at = out.find("%s");
  if (at != std::string::npos) out.replace(at, 2, a);
  at = out.find("%s");
  if (at != std::string::npos) out.replace(at, 2, b);
  return out;
}

cairo_status_t Append(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

// One centred line (or paragraph) at `y`; returns the y below it. Pango finds the direction from the
// text itself (an Arabic paragraph is laid out right to left) and isolates the Latin digits inside it.
double Line(cairo_t* cr, const std::string& text, const char* font, double y, double r = 0.1, double g = 0.1,
            double b = 0.1) {
  std::unique_ptr<PangoLayout, decltype(&g_object_unref)> layout(pango_cairo_create_layout(cr), g_object_unref);
  std::unique_ptr<PangoFontDescription, decltype(&pango_font_description_free)> desc(
      pango_font_description_from_string(font), pango_font_description_free);
  pango_layout_set_font_description(layout.get(), desc.get());
  pango_layout_set_width(layout.get(), static_cast<int>((kWidth - 160) * PANGO_SCALE));
  pango_layout_set_alignment(layout.get(), PANGO_ALIGN_CENTER);
  pango_layout_set_text(layout.get(), text.c_str(), -1);
  int w = 0, h = 0;
  pango_layout_get_size(layout.get(), &w, &h);
  cairo_set_source_rgb(cr, r, g, b);
  cairo_move_to(cr, 80, y);
  pango_cairo_show_layout(cr, layout.get());
  return y + static_cast<double>(h) / PANGO_SCALE;
}

// The page, drawn on any Cairo surface (the PDF, or a PNG preview of the same page).
void Draw(cairo_t* cr, const CertificateText& t) {
  const Labels& l = t.lang == "ar" ? kArabic : kFrench;
  cairo_set_source_rgb(cr, 1, 1, 1);
  cairo_paint(cr);
  // A double frame in the platform's green.
  cairo_set_source_rgb(cr, 0.07, 0.4, 0.3);
  cairo_set_line_width(cr, 6);
  cairo_rectangle(cr, 24, 24, kWidth - 48, kHeight - 48);
  cairo_stroke(cr);
  cairo_set_line_width(cr, 1.5);
  cairo_rectangle(cr, 36, 36, kWidth - 72, kHeight - 72);
  cairo_stroke(cr);

  double y = 70;
  y = Line(cr, l.heading, "DejaVu Sans Bold 34", y, 0.07, 0.4, 0.3) + 28;
  y = Line(cr, l.certifies, "DejaVu Sans 15", y) + 10;
  y = Line(cr, t.name, "DejaVu Sans Bold 26", y) + 10;
  y = Line(cr, l.followed, "DejaVu Sans 15", y) + 10;
  y = Line(cr, t.training_title, "DejaVu Sans Bold 20", y) + 4;
  y = Line(cr, TopicLabel(l, t.topic), "DejaVu Sans 13", y, 0.35, 0.35, 0.35) + 10;
  y = Line(cr, Format(l.dates, Day(t.first_day), Day(t.last_day)), "DejaVu Sans 14", y) + 4;
  y = Line(cr, Format(l.completed, Day(t.completed_on)), "DejaVu Sans 14", y) + 30;
  y = Line(cr, Format(l.verify, t.verification_code), "DejaVu Sans 12", y, 0.3, 0.3, 0.3) + 2;
  Line(cr, t.verification_address, "DejaVu Sans Mono 9", y, 0.4, 0.4, 0.4);
}

Result<std::string> Finish(cairo_t* cr, cairo_surface_t* surface) {
  cairo_destroy(cr);
  cairo_surface_flush(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  if (status != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface);
    return Fail(Code::kInternal, std::string("cairo: ") + cairo_status_to_string(status));
  }
  return std::string();
}

}  // namespace

Result<std::string> RenderCertificatePdf(const CertificateText& t) {
  if (t.lang != "ar" && t.lang != "fr")
    return Failure(Code::kInvalidArgument, "empowerment.bad_choice", {{"field", "lang"}, {"value", t.lang}}, "lang");
  std::string pdf;
  cairo_surface_t* surface = cairo_pdf_surface_create_for_stream(Append, &pdf, kWidth, kHeight);
  cairo_t* cr = cairo_create(surface);
  Draw(cr, t);
  cairo_show_page(cr);
  if (auto st = Finish(cr, surface); !st) return st;
  cairo_surface_finish(surface);
  const cairo_status_t status = cairo_surface_status(surface);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    return Fail(Code::kInternal, std::string("cairo: ") + cairo_status_to_string(status));
  return pdf;
}

Result<std::string> RenderCertificatePng(const CertificateText& t, double scale) {
  if (t.lang != "ar" && t.lang != "fr")
    return Failure(Code::kInvalidArgument, "empowerment.bad_choice", {{"field", "lang"}, {"value", t.lang}}, "lang");
  cairo_surface_t* surface = cairo_image_surface_create(CAIRO_FORMAT_RGB24, static_cast<int>(kWidth * scale),
                                                        static_cast<int>(kHeight * scale));
  cairo_t* cr = cairo_create(surface);
  cairo_scale(cr, scale, scale);
  Draw(cr, t);
  if (auto st = Finish(cr, surface); !st) return st;
  std::string png;
  const cairo_status_t status = cairo_surface_write_to_png_stream(surface, Append, &png);
  cairo_surface_destroy(surface);
  if (status != CAIRO_STATUS_SUCCESS)
    return Fail(Code::kInternal, std::string("cairo: ") + cairo_status_to_string(status));
  return png;
}

}  // namespace sanad::empowerment
