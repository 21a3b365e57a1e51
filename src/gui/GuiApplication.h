#pragma once

#include <QString>

namespace tributary {

// Starts the desktop app: QApplication, the main window on the configured sources.
int runGui(int &argc, char **argv, const QString &home);

} // namespace tributary
