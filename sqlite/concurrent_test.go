package sqlite

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// Readers run while batches commit. Each batch creates a job with its tasks,
// so any job a reader sees must come with all of its tasks: a reader may
// never observe half a batch.
func TestReadersDuringWrites(t *testing.T) {
	t.Parallel()
	s, _ := openTemp(t)
	ctx := context.Background()
	const batches, tasksPerJob, readerCount = 40, 50, 4

	done := make(chan struct{})
	errs := make(chan error, readerCount+1)
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		defer close(done)
		for i := 0; i < batches; i++ {
			id := fmt.Sprintf("j%04d", i)
			b := &bonfire.Batch{Jobs: []*bonfire.Job{job(id, "0xA", bonfire.JobQueued, tasksPerJob)}, Tasks: tasksOf(id, tasksPerJob, bonfire.TaskQueued)}
			if err := s.Commit(ctx, b); err != nil {
				errs <- err
				return
			}
		}
	}()
	reads := make([]int, readerCount)
	for r := 0; r < readerCount; r++ {
		wg.Add(1)
		go func(r int) {
			defer wg.Done()
			for {
				select {
				case <-done:
					return
				default:
				}
				jobs, err := s.Jobs(ctx, bonfire.JobFilter{Limit: MaxLimit})
				if err != nil {
					errs <- err
					return
				}
				for _, j := range jobs {
					ts, err := s.Tasks(ctx, bonfire.TaskFilter{JobID: j.ID, Limit: MaxLimit})
					if err != nil {
						errs <- err
						return
					}
					if len(ts) != tasksPerJob {
						errs <- fmt.Errorf("job %s visible with %d of its %d tasks", j.ID, len(ts), tasksPerJob)
						return
					}
				}
				reads[r]++
			}
		}(r)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	jobs, err := s.Jobs(ctx, bonfire.JobFilter{Limit: MaxLimit})
	if err != nil || len(jobs) != batches {
		t.Fatalf("after all writes: %d jobs, %v; want %d", len(jobs), err, batches)
	}
	total := 0
	for _, n := range reads {
		total += n
	}
	if total == 0 {
		t.Error("no reader completed a pass while the writer ran")
	}
}
