/* The statement queue in localStorage, shared by tabs and modules: merge on write. */
T.queue = (function () {
  /* Statements that may be tried again later; any other 4xx refuses the statement for good. */
  function retryable(status) { return status === 401 || status === 408 || status === 429 || status >= 500 || status === 0; }
  function storage(kind) { try { return window[kind]; } catch (e) { return null; } }

  /* One queue per (endpoint, registration) in localStorage. Every change re-reads the stored
   * list and writes it back at once (merge on write), so two tabs or two modules sharing the key
   * never write over each other's statements; a statement leaves only once the LRS has it. */
  function Queue(key) { this.key = key; this.memory = []; }
  Queue.prototype.read = function () {
    var store = storage("localStorage");
    try { return store ? JSON.parse(store.getItem(this.key) || "[]") : this.memory.slice(); } catch (e) { return this.memory.slice(); }
  };
  Queue.prototype.write = function (list) {
    this.memory = list;
    var store = storage("localStorage");
    try {
      if (!store) { return; }
      if (list.length) { store.setItem(this.key, JSON.stringify(list)); } else { store.removeItem(this.key); }
    } catch (e) { /* private mode or full: memory only */ }
  };
  Queue.prototype.add = function (statement) { var list = this.read(); list.push(statement); this.write(list); };
  Queue.prototype.remove = function (ids) {
    var gone = {};
    ids.forEach(function (id) { gone[id] = true; });
    this.write(this.read().filter(function (s) { return !gone[s.id]; }));
  };

  return { Queue: Queue, retryable: retryable };
}());
