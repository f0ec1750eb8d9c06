export type GraphNode = { id: string; dependsOn: readonly string[] };

export type GraphProblem =
  | { kind: 'DUPLICATE_TASK'; taskId: string }
  | { kind: 'MISSING_DEPENDENCY'; taskId: string; dependsOn: string }
  | { kind: 'CYCLE'; taskIds: string[] };

/** A plan executes only if every dependency exists and the graph has no cycle. */
export const validateTaskGraph = (tasks: readonly GraphNode[]): GraphProblem[] => {
  const problems: GraphProblem[] = [];
  const byId = new Map<string, GraphNode>();
  for (const task of tasks) {
    if (byId.has(task.id)) problems.push({ kind: 'DUPLICATE_TASK', taskId: task.id });
    byId.set(task.id, task);
  }
  for (const task of tasks) {
    for (const dep of task.dependsOn) {
      if (!byId.has(dep)) problems.push({ kind: 'MISSING_DEPENDENCY', taskId: task.id, dependsOn: dep });
    }
  }
  const visiting = new Set<string>();
  const done = new Set<string>();
  const visit = (id: string, path: string[]): void => {
    if (done.has(id)) return;
    if (visiting.has(id)) {
      problems.push({ kind: 'CYCLE', taskIds: [...path.slice(path.indexOf(id)), id] });
      return;
    }
    visiting.add(id);
    for (const dep of byId.get(id)?.dependsOn ?? []) {
      if (byId.has(dep)) visit(dep, [...path, id]);
    }
    visiting.delete(id);
    done.add(id);
  };
  for (const id of byId.keys()) visit(id, []);
  return problems;
};
