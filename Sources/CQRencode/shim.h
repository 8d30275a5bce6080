// libqrencode (Debian libqrencode-dev): the QR encoder behind `govchain anchor --qr` and
// `GET /v1/documents/{hash}/qr`.
#include <qrencode.h>
