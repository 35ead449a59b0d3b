package dockerexec

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/moby/moby/client"
)

// imageCache remembers the images this executor pulled or loaded, their
// sizes and when a task last used them, and removes the least recently used
// ones (never one a running task holds) while their total passes the cap.
// Images the provider's owner put on the engine are never touched.
type imageCache struct {
	mu      sync.Mutex
	cap     int64  // bytes; 0 = no cap
	file    string // where the index is kept across restarts; "" = memory only
	entries map[string]*cacheEntry
	now     func() time.Time
}

type cacheEntry struct {
	ID       string    `json:"id"`
	Size     int64     `json:"size"`
	LastUsed time.Time `json:"lastUsed"`
	inUse    int
}

func newImageCache(capBytes int64, stateDir string) *imageCache {
	c := &imageCache{cap: capBytes, entries: map[string]*cacheEntry{}, now: time.Now}
	if stateDir != "" {
		c.file = filepath.Join(stateDir, "images.json")
		if b, err := os.ReadFile(c.file); err == nil {
			var list []*cacheEntry
			if json.Unmarshal(b, &list) == nil {
				for _, e := range list {
					c.entries[e.ID] = e
				}
			}
		}
	}
	return c
}

// add records an image the executor brought onto the engine, in use by
// the caller until it calls release.
func (c *imageCache) add(id string, size int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.entries[id]
	if e == nil {
		e = &cacheEntry{ID: id}
		c.entries[id] = e
	}
	e.Size, e.LastUsed = size, c.now()
	e.inUse++
	c.saveLocked()
}

// touch marks a known image used now and in use until release; images
// not added are ignored. Taking it in the same step as the lookup means
// no eviction can slip in between.
func (c *imageCache) touch(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[id]; e != nil {
		e.LastUsed = c.now()
		e.inUse++
		c.saveLocked()
	}
}

func (c *imageCache) release(id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if e := c.entries[id]; e != nil && e.inUse > 0 {
		e.inUse--
	}
}

// victims lists the images to remove, least recently used first, so that
// what is left fits the cap; it forgets them at once.
func (c *imageCache) victims() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cap <= 0 {
		return nil
	}
	var total int64
	list := make([]*cacheEntry, 0, len(c.entries))
	for _, e := range c.entries {
		total += e.Size
		list = append(list, e)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].LastUsed.Before(list[j].LastUsed) })
	var out []string
	for _, e := range list {
		if total <= c.cap {
			break
		}
		if e.inUse > 0 {
			continue
		}
		total -= e.Size
		delete(c.entries, e.ID)
		out = append(out, e.ID)
	}
	if len(out) > 0 {
		c.saveLocked()
	}
	return out
}

// Total is the size of the images the executor keeps.
func (c *imageCache) total() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	var t int64
	for _, e := range c.entries {
		t += e.Size
	}
	return t
}

func (c *imageCache) saveLocked() {
	if c.file == "" {
		return
	}
	list := make([]*cacheEntry, 0, len(c.entries))
	for _, e := range c.entries {
		list = append(list, e)
	}
	sort.Slice(list, func(i, j int) bool { return list[i].ID < list[j].ID })
	b, _ := json.Marshal(list)
	tmp := c.file + ".tmp"
	if os.WriteFile(tmp, b, 0o600) == nil {
		_ = os.Rename(tmp, c.file)
	}
}

// evict removes the images past the cap from the engine. An image a
// container still uses cannot be removed; it is simply forgotten.
func (x *Executor) evict(ctx context.Context) {
	for _, id := range x.cache.victims() {
		_, err := x.cli.ImageRemove(ctx, id, client.ImageRemoveOptions{Force: true, PruneChildren: true})
		if err != nil {
			x.opts.Log.Warn("evicting image", "image", id, "err", err)
		} else {
			x.opts.Log.Info("evicted image past the cache cap", "image", id)
		}
	}
}
