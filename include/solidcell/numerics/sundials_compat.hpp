#pragma once
// The one place that absorbs the differences between SUNDIALS 6.x and 7.x, so that the solver wrappers
// can be written once:
//   - the SUNContext: 6.x takes a void* communicator (NULL), 7.x a SUNComm (SUN_COMM_NULL);
//   - the real type: `realtype` (6.x) became `sunrealtype` (7.x); sunindextype is the same name in both;
//   - error messages: 6.x hands them to a per-integrator handler (IDASetErrHandlerFn,
//     CVodeSetErrHandlerFn), 7.x removed those in favour of a handler stack on the SUNContext
//     (SUNContext_PushErrHandler); `capture_ida_errors` / `capture_cvode_errors` route either into a
//     SolverErrorLog (and off stderr);
//   - flag names: IDAGetReturnFlagName / CVodeGetReturnFlagName return malloc'd text in both;
//     `ida_flag_name` / `cvode_flag_name` return a std::string and free it.
// Everything else a band or KLU set-up needs has the same signature in 6.x and 7.x: N_VNew_Serial,
// SUNBandMatrix, SUNLinSol_Band, SUNSparseMatrix(..., CSC_MAT, ctx), SUNLinSol_KLU, IDACreate, IDAInit,
// IDASStolerances, IDASetLinearSolver, IDASetJacFn, IDASetId, IDACalcIC, IDASolve, and the CVode
// equivalents. The older IDADlsSetLinearSolver / CVDlsSetLinearSolver were removed in 7.x: use
// IDASetLinearSolver / CVodeSetLinearSolver. Counters (IDAGetNumSteps etc.) are `long int` in both.
#include <cstddef>
#include <cstdlib>
#include <stdexcept>
#include <string>
#include <utility>

#include <cvode/cvode.h>
#if defined(SOLIDCELL_SUNDIALS_USE_IDAS)  // IDAS has the same function names; never include both
#include <idas/idas.h>
#else
#include <ida/ida.h>
#endif
#include <sundials/sundials_config.h>
#include <sundials/sundials_context.h>
#include <sundials/sundials_types.h>

#if !defined(SUNDIALS_VERSION_MAJOR) || SUNDIALS_VERSION_MAJOR < 6 || SUNDIALS_VERSION_MAJOR > 7
#error "solidcell needs SUNDIALS 6.x or 7.x"
#endif

namespace solidcell::numerics {

inline constexpr int sundials_version_major = SUNDIALS_VERSION_MAJOR;

#if SUNDIALS_VERSION_MAJOR >= 7
using SunReal = sunrealtype;
#else
using SunReal = realtype;  // every 6.x has it; `sunrealtype` only from 6.4 on
#endif
using SunIndex = sunindextype;

// Owns a SUNContext. Create one per simulation (and per thread); every SUNDIALS object built with it
// must be freed before it is.
class SundialsContext {
 public:
  SundialsContext() {
#if SUNDIALS_VERSION_MAJOR >= 7
    const int rc = SUNContext_Create(SUN_COMM_NULL, &ctx_);
#else
    const int rc = SUNContext_Create(nullptr, &ctx_);
#endif
    if (rc != 0 || ctx_ == nullptr) {
      throw std::runtime_error("SUNContext_Create failed (code " + std::to_string(rc) + ")");
    }
  }
  ~SundialsContext() { reset(); }

  SundialsContext(const SundialsContext&) = delete;
  SundialsContext& operator=(const SundialsContext&) = delete;
  SundialsContext(SundialsContext&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}
  SundialsContext& operator=(SundialsContext&& other) noexcept {
    if (this != &other) {
      reset();
      ctx_ = std::exchange(other.ctx_, nullptr);
    }
    return *this;
  }

  SUNContext get() const noexcept { return ctx_; }
  operator SUNContext() const noexcept { return ctx_; }  // NOLINT(google-explicit-constructor)

 private:
  void reset() noexcept {
    if (ctx_ != nullptr) {
      SUNContext_Free(&ctx_);
      ctx_ = nullptr;
    }
  }
  SUNContext ctx_ = nullptr;
};

// What the solver said about its last error, kept as text so that a failure can carry its reason.
struct SolverErrorLog {
  int code = 0;             // IDA_* / CV_* flag (or a 7.x SUNErrCode) of the last error; 0: none
  std::string function;     // SUNDIALS function that reported it, e.g. "IDASolve"
  std::string message;      // the solver's own text, e.g. "rtol < 0 illegal."
  std::size_t count = 0;    // errors since the last clear()
  std::string warning;      // last warning (6.x only; 7.x sends warnings to its SUNLogger)

  bool empty() const noexcept { return count == 0; }
  void clear() noexcept {
    code = 0;
    count = 0;
    function.clear();
    message.clear();
    warning.clear();
  }
  // "IDASolve: At t = 0.5, ... (code -4)"; empty when there was no error.
  std::string to_string() const {
    if (empty()) return {};
    std::string s = function.empty() ? message : function + ": " + message;
    return s + " (code " + std::to_string(code) + ")";
  }
};

namespace detail {

inline void record_error(SolverErrorLog* log, int code, const char* function, const char* msg,
                         bool warning) noexcept {
  if (log == nullptr) return;
  try {  // nothing may escape into SUNDIALS' C frames
    if (warning) {
      log->warning = msg != nullptr ? msg : "";
      return;
    }
    log->code = code;
    log->function = function != nullptr ? function : "";
    log->message = msg != nullptr ? msg : "";
    ++log->count;
  } catch (...) {
    ++log->count;
  }
}

#if SUNDIALS_VERSION_MAJOR >= 7
inline void context_error_handler(int /*line*/, const char* func, const char* /*file*/, const char* msg,
                                  SUNErrCode code, void* data, SUNContext /*ctx*/) noexcept {
  record_error(static_cast<SolverErrorLog*>(data), static_cast<int>(code), func, msg, false);
}

inline int capture_context_errors(SUNContext ctx, SolverErrorLog& log) noexcept {
  if (ctx == nullptr) return -1;
  int rc = SUNContext_ClearErrHandlers(ctx);  // drops the default handler that prints to stderr
  if (rc == 0) rc = SUNContext_PushErrHandler(ctx, context_error_handler, &log);
  return rc;
}
#else
// 6.x IDAErrHandlerFn and CVErrHandlerFn have the same shape.
inline void integrator_error_handler(int code, const char* /*module*/, const char* function, char* msg,
                                     void* data) noexcept {
  record_error(static_cast<SolverErrorLog*>(data), code, function, msg, code > 0);
}
#endif

inline std::string take_flag_name(char* name) {
  std::string s = name != nullptr ? name : "";
  std::free(name);  // NOLINT(cppcoreguidelines-no-malloc): SUNDIALS allocated it with malloc
  return s;
}

}  // namespace detail

// Sends IDA's error messages into `log` (which must outlive the solver) instead of stderr.
// Returns 0 on success. 6.x: installed on `ida_mem`. 7.x: installed on `ctx`, so it receives the errors
// of every object of that context; the most recent capture_* call on a context wins.
inline int capture_ida_errors(void* ida_mem, SUNContext ctx, SolverErrorLog& log) noexcept {
#if SUNDIALS_VERSION_MAJOR >= 7
  (void)ida_mem;
  return detail::capture_context_errors(ctx, log);
#else
  (void)ctx;
  return IDASetErrHandlerFn(ida_mem, detail::integrator_error_handler, &log);
#endif
}

// The same for CVODE.
inline int capture_cvode_errors(void* cvode_mem, SUNContext ctx, SolverErrorLog& log) noexcept {
#if SUNDIALS_VERSION_MAJOR >= 7
  (void)cvode_mem;
  return detail::capture_context_errors(ctx, log);
#else
  (void)ctx;
  return CVodeSetErrHandlerFn(cvode_mem, detail::integrator_error_handler, &log);
#endif
}

// "IDA_CONV_FAIL" for -4, and so on.
inline std::string ida_flag_name(int flag) { return detail::take_flag_name(IDAGetReturnFlagName(flag)); }
inline std::string cvode_flag_name(int flag) {
  return detail::take_flag_name(CVodeGetReturnFlagName(flag));
}

}  // namespace solidcell::numerics
