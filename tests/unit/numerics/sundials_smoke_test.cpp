// Smoke tests of the SUNDIALS set-up (solidcell::sundials and numerics/sundials_compat.hpp): IDA with the
// band and, where built with it, the KLU linear solver on a small index-1 DAE with a known solution,
// CVODE with the band solver, and the capture of solver error messages.
#include "solidcell/numerics/sundials_compat.hpp"

#include <cvode/cvode.h>
#include <ida/ida.h>
#include <nvector/nvector_serial.h>
#include <sundials/sundials_linearsolver.h>
#include <sundials/sundials_matrix.h>
#include <sunlinsol/sunlinsol_band.h>
#include <sunmatrix/sunmatrix_band.h>
#if defined(SOLIDCELL_HAVE_KLU)
#include <sunlinsol/sunlinsol_klu.h>
#include <sunmatrix/sunmatrix_sparse.h>
#endif

#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

namespace {

namespace sn = solidcell::numerics;
using sn::SunIndex;
using sn::SunReal;

struct VectorFree {
  void operator()(N_Vector v) const noexcept { N_VDestroy(v); }
};
struct MatrixFree {
  void operator()(SUNMatrix m) const noexcept { SUNMatDestroy(m); }
};
struct SolverFree {
  void operator()(SUNLinearSolver s) const noexcept { SUNLinSolFree(s); }
};
struct IdaFree {
  void operator()(void* mem) const noexcept { IDAFree(&mem); }
};
struct CvodeFree {
  void operator()(void* mem) const noexcept { CVodeFree(&mem); }
};
using Vector = std::unique_ptr<std::remove_pointer_t<N_Vector>, VectorFree>;
using Matrix = std::unique_ptr<std::remove_pointer_t<SUNMatrix>, MatrixFree>;
using Solver = std::unique_ptr<std::remove_pointer_t<SUNLinearSolver>, SolverFree>;
using IdaMem = std::unique_ptr<void, IdaFree>;
using CvodeMem = std::unique_ptr<void, CvodeFree>;

// y' = -y, 0 = z - 2y with y(0) = 1: y = exp(-t), z = 2 exp(-t).
int dae_residual(SunReal /*t*/, N_Vector yy, N_Vector yp, N_Vector rr, void* /*user_data*/) {
  const SunReal* y = N_VGetArrayPointer(yy);
  const SunReal* dy = N_VGetArrayPointer(yp);
  SunReal* r = N_VGetArrayPointer(rr);
  r[0] = dy[0] + y[0];
  r[1] = y[1] - 2.0 * y[0];
  return 0;
}

#if defined(SOLIDCELL_HAVE_KLU)
// dF/dy + cj dF/dy' in compressed sparse columns: column 0 = (1 + cj, -2), column 1 = (0, 1).
int dae_sparse_jacobian(SunReal /*t*/, SunReal cj, N_Vector /*yy*/, N_Vector /*yp*/, N_Vector /*rr*/,
                        SUNMatrix jac, void* /*user_data*/, N_Vector /*t1*/, N_Vector /*t2*/,
                        N_Vector /*t3*/) {
  SunIndex* colptr = SUNSparseMatrix_IndexPointers(jac);
  SunIndex* rows = SUNSparseMatrix_IndexValues(jac);
  SunReal* values = SUNSparseMatrix_Data(jac);
  colptr[0] = 0;
  colptr[1] = 2;
  colptr[2] = 3;
  rows[0] = 0;
  values[0] = 1.0 + cj;
  rows[1] = 1;
  values[1] = -2.0;
  rows[2] = 1;
  values[2] = 1.0;
  return 0;
}
#endif

enum class LinearSolver { band, klu };

// Solves the DAE to t = 1 from an inconsistent start (z(0) = 0, y'(0) = 0) that IDACalcIC must repair.
void solve_dae_to_one(LinearSolver which, SunReal& y1, SunReal& z1) {
  sn::SundialsContext ctx;
  sn::SolverErrorLog errors;
  const SunIndex n = 2;

  Vector yy(N_VNew_Serial(n, ctx));
  Vector yp(N_VNew_Serial(n, ctx));
  Vector id(N_VNew_Serial(n, ctx));
  ASSERT_TRUE(yy && yp && id);
  N_VGetArrayPointer(yy.get())[0] = 1.0;
  N_VGetArrayPointer(yy.get())[1] = 0.0;
  N_VConst(0.0, yp.get());
  N_VGetArrayPointer(id.get())[0] = 1.0;  // differential
  N_VGetArrayPointer(id.get())[1] = 0.0;  // algebraic

  // Declared in the order SUNDIALS needs them freed in reverse: context last, integrator first.
  Matrix jac;
  Solver ls;
  if (which == LinearSolver::band) {
    jac.reset(SUNBandMatrix(n, 1, 1, ctx));
    ls.reset(SUNLinSol_Band(yy.get(), jac.get(), ctx));
  } else {
#if defined(SOLIDCELL_HAVE_KLU)
    jac.reset(SUNSparseMatrix(n, n, 3, CSC_MAT, ctx));
    ls.reset(SUNLinSol_KLU(yy.get(), jac.get(), ctx));
#endif
  }
  ASSERT_TRUE(jac && ls);

  IdaMem mem(IDACreate(ctx));
  ASSERT_TRUE(mem);
  ASSERT_EQ(sn::capture_ida_errors(mem.get(), ctx, errors), 0);
  ASSERT_EQ(IDAInit(mem.get(), dae_residual, 0.0, yy.get(), yp.get()), IDA_SUCCESS) << errors.to_string();
  ASSERT_EQ(IDASStolerances(mem.get(), 1e-10, 1e-12), IDA_SUCCESS) << errors.to_string();
  ASSERT_EQ(IDASetId(mem.get(), id.get()), IDA_SUCCESS);
  ASSERT_EQ(IDASetLinearSolver(mem.get(), ls.get(), jac.get()), IDA_SUCCESS) << errors.to_string();
#if defined(SOLIDCELL_HAVE_KLU)
  if (which == LinearSolver::klu) {
    ASSERT_EQ(IDASetJacFn(mem.get(), dae_sparse_jacobian), IDA_SUCCESS) << errors.to_string();
  }
#endif  // the band solver uses IDA's difference-quotient Jacobian

  ASSERT_EQ(IDACalcIC(mem.get(), IDA_YA_YDP_INIT, 0.01), IDA_SUCCESS) << errors.to_string();
  SunReal t = 0.0;
  ASSERT_EQ(IDASolve(mem.get(), 1.0, &t, yy.get(), yp.get(), IDA_NORMAL), IDA_SUCCESS)
      << errors.to_string();
  EXPECT_DOUBLE_EQ(t, 1.0);
  EXPECT_TRUE(errors.empty()) << errors.to_string();
  y1 = N_VGetArrayPointer(yy.get())[0];
  z1 = N_VGetArrayPointer(yy.get())[1];
}

void expect_relative(SunReal actual, double expected, double tolerance) {
  EXPECT_NEAR(actual / expected, 1.0, tolerance) << "actual " << actual << ", expected " << expected;
}

TEST(SundialsSmoke, IdaBandSolvesIndexOneDae) {
  SunReal y1 = 0.0;
  SunReal z1 = 0.0;
  ASSERT_NO_FATAL_FAILURE(solve_dae_to_one(LinearSolver::band, y1, z1));
  expect_relative(y1, std::exp(-1.0), 1e-6);
  expect_relative(z1, 2.0 * std::exp(-1.0), 1e-6);
}

TEST(SundialsSmoke, IdaKluSolvesIndexOneDae) {
#if defined(SOLIDCELL_HAVE_KLU)
  SunReal y1 = 0.0;
  SunReal z1 = 0.0;
  ASSERT_NO_FATAL_FAILURE(solve_dae_to_one(LinearSolver::klu, y1, z1));
  expect_relative(y1, std::exp(-1.0), 1e-6);
  expect_relative(z1, 2.0 * std::exp(-1.0), 1e-6);
#else
  GTEST_SKIP() << "SUNDIALS was built without KLU";
#endif
}

// y_i' = -(i + 1) y_i, y_i(0) = 1: y_i(1) = exp(-(i + 1)).
int decay_rhs(SunReal /*t*/, N_Vector yy, N_Vector ydot, void* /*user_data*/) {
  const SunReal* y = N_VGetArrayPointer(yy);
  SunReal* dy = N_VGetArrayPointer(ydot);
  for (int i = 0; i < 3; ++i) dy[i] = -static_cast<SunReal>(i + 1) * y[i];
  return 0;
}

TEST(SundialsSmoke, CvodeBandSolvesDecay) {
  sn::SundialsContext ctx;
  sn::SolverErrorLog errors;
  Vector y(N_VNew_Serial(3, ctx));
  ASSERT_TRUE(y);
  N_VConst(1.0, y.get());
  Matrix jac(SUNBandMatrix(3, 0, 0, ctx));
  Solver ls(SUNLinSol_Band(y.get(), jac.get(), ctx));
  ASSERT_TRUE(jac && ls);
  CvodeMem mem(CVodeCreate(CV_BDF, ctx));
  ASSERT_TRUE(mem);
  ASSERT_EQ(sn::capture_cvode_errors(mem.get(), ctx, errors), 0);
  ASSERT_EQ(CVodeInit(mem.get(), decay_rhs, 0.0, y.get()), CV_SUCCESS);
  ASSERT_EQ(CVodeSStolerances(mem.get(), 1e-10, 1e-12), CV_SUCCESS);
  ASSERT_EQ(CVodeSetLinearSolver(mem.get(), ls.get(), jac.get()), CV_SUCCESS);
  SunReal t = 0.0;
  ASSERT_EQ(CVode(mem.get(), 1.0, y.get(), &t, CV_NORMAL), CV_SUCCESS) << errors.to_string();
  for (int i = 0; i < 3; ++i) {
    expect_relative(N_VGetArrayPointer(y.get())[i], std::exp(-(i + 1.0)), 1e-6);
  }
}

TEST(SundialsSmoke, SolverErrorsAreCapturedAsText) {
  sn::SundialsContext ctx;
  sn::SolverErrorLog errors;
  Vector yy(N_VNew_Serial(2, ctx));
  Vector yp(N_VNew_Serial(2, ctx));
  N_VConst(1.0, yy.get());
  N_VConst(0.0, yp.get());
  IdaMem mem(IDACreate(ctx));
  ASSERT_TRUE(mem);
  ASSERT_EQ(sn::capture_ida_errors(mem.get(), ctx, errors), 0);
  ASSERT_EQ(IDAInit(mem.get(), dae_residual, 0.0, yy.get(), yp.get()), IDA_SUCCESS);

  EXPECT_EQ(IDASStolerances(mem.get(), -1.0, 1e-8), IDA_ILL_INPUT);
  EXPECT_EQ(errors.count, 1U);
  EXPECT_EQ(errors.code, IDA_ILL_INPUT);
  EXPECT_EQ(errors.function, "IDASStolerances");
  EXPECT_NE(errors.message.find("rtol"), std::string::npos) << errors.message;
  EXPECT_NE(errors.to_string().find("IDASStolerances: "), std::string::npos) << errors.to_string();
  EXPECT_EQ(sn::ida_flag_name(IDA_ILL_INPUT), "IDA_ILL_INPUT");
  EXPECT_EQ(sn::cvode_flag_name(CV_TOO_MUCH_WORK), "CV_TOO_MUCH_WORK");
  errors.clear();
  EXPECT_TRUE(errors.empty());
}

TEST(SundialsSmoke, ContextIsMovable) {
  sn::SundialsContext a;
  SUNContext raw = a.get();
  ASSERT_NE(raw, nullptr);
  sn::SundialsContext b(std::move(a));
  EXPECT_EQ(b.get(), raw);
  EXPECT_EQ(a.get(), nullptr);  // NOLINT(bugprone-use-after-move): moved-from state is specified
}

}  // namespace
