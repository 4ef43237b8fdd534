// The commands `boai` runs; each returns the process exit code.
#pragma once

#include "app/options.hpp"

namespace boai::app {

int run_serve(const Options& options);
int run_migrate(const Options& options);

}  // namespace boai::app
