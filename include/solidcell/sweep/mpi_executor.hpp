#pragma once
// The sweep on MPI ranks (built with SOLIDCELL_WITH_MPI). Rank 0 prepares the folder, hands out case ids
// in chunks to whichever rank asks (dynamic load balancing: a rank with slow cases asks less often), runs
// cases itself on a compute thread between requests, and writes the manifest and the summary; every rank
// writes the files of the cases it ran. Rank 0 answers requests from its main thread, which polls (with a
// short sleep, so waiting costs no core) while its compute threads work.
#include "solidcell/sweep/sweep_runner.hpp"

namespace solidcell::sweep {

// Whether this build has MPI.
bool mpi_built();
// Whether the process was started by an MPI launcher (mpirun, mpiexec, srun with PMI/PMIx): its
// environment names a world size or rank.
bool launched_by_mpi();

// Initialises MPI on construction (when built with it) and finalises it on destruction.
class MpiSession {
 public:
  MpiSession();
  ~MpiSession();
  MpiSession(const MpiSession&) = delete;
  MpiSession& operator=(const MpiSession&) = delete;
  int rank() const { return rank_; }
  int size() const { return size_; }

 private:
  int rank_ = 0;
  int size_ = 1;
};

// Every rank calls it with the same spec and options. Rank 0's report covers the whole sweep; the
// others' cover their own cases. Throws InputError on rank 0 for a folder that cannot be used (the other
// ranks then return a report with complete = false).
SweepReport run_sweep_mpi(const SweepSpec& spec, const SweepOptions& options, const MpiSession& session);

}  // namespace solidcell::sweep
