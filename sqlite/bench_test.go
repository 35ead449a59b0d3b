package sqlite

import (
	"context"
	"fmt"
	"testing"

	"github.com/bonfirenet/bonfire"
)

// BenchmarkCommit1000TaskUpserts updates 1000 existing tasks in one batch,
// the shape of a scheduler tick that assigns many tasks at once.
func BenchmarkCommit1000TaskUpserts(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	tasks := tasksOf("j1", 1000, bonfire.TaskQueued)
	commit(b, s, &bonfire.Batch{Jobs: []*bonfire.Job{job("j1", "0xA", bonfire.JobQueued, 1000)}, Tasks: tasks})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, t := range tasks {
			t.Attempt = i
			t.State = bonfire.TaskAssigned
		}
		if err := s.Commit(ctx, &bonfire.Batch{Tasks: tasks}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(tasks)), "ns/task")
}

// BenchmarkCommitJobWith20000Tasks submits one large sweep.
func BenchmarkCommitJobWith20000Tasks(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		id := fmt.Sprintf("j%06d", i)
		batch := &bonfire.Batch{Jobs: []*bonfire.Job{job(id, "0xA", bonfire.JobQueued, 20000)}, Tasks: tasksOf(id, 20000, bonfire.TaskQueued)}
		b.StartTimer()
		if err := s.Commit(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*20000), "ns/task")
}

// BenchmarkListTasksPage reads a full page of a large job.
func BenchmarkListTasksPage(b *testing.B) {
	s, _ := openTemp(b)
	ctx := context.Background()
	commit(b, s, &bonfire.Batch{Jobs: []*bonfire.Job{job("j1", "0xA", bonfire.JobQueued, 20000)}, Tasks: tasksOf("j1", 20000, bonfire.TaskQueued)})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ts, err := s.Tasks(ctx, bonfire.TaskFilter{JobID: "j1", From: 5001, Limit: 1000})
		if err != nil || len(ts) != 1000 {
			b.Fatal(len(ts), err)
		}
	}
}
