// cairo (Debian libcairo2-dev): PDF verification reports with embedded font subsets, and QR
// codes as PNG. Fonts come from fontconfig (fonts-dejavu-core).
#include <cairo/cairo.h>
#include <cairo/cairo-pdf.h>
