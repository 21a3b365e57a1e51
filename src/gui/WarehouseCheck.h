#pragma once

#include "core/Result.h"

#include <QString>

#include <functional>

class QObject;

namespace tributary {

// Test connection of a warehouse, off the GUI thread (connecting may take seconds): done gets the
// server's description or the error, on context's thread, unless context is gone by then.
void checkWarehouseInBackground(QObject *context, const QString &url, const QString &password,
                                std::function<void(const Result<QString> &)> done);
// The line a form shows for that answer.
QString warehouseCheckText(const Result<QString> &result);

} // namespace tributary
