import { Link } from 'react-router';
import { errorMessage } from '../../app/problem';
import { isoDate } from '../../components/dates';
import { DueChip } from '../../components/DueChip';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { PriorityMarker } from '../../components/PriorityMarker';
import { canEdit, useGetListsQuery } from '../lists/listsApi';
import { useGetViewQuery, useUpdateTaskMutation, type Task, type View } from './tasksApi';

const TITLES: Record<Exclude<View, 'overdue'>, { title: string; empty: string }> = {
  today: { title: 'Today', empty: 'Nothing due today. Give a task a due date to see it here.' },
  week: { title: 'This week', empty: 'Nothing due in the next 7 days.' },
  all: { title: 'All', empty: 'No open tasks. Create a list and add a task to get going.' },
};

/** Open tasks across every list the user can see: due today (or overdue), this week, or all. */
export function ViewPage({ view }: { view: Exclude<View, 'overdue'> }) {
  const { data: tasks, error, isLoading } = useGetViewQuery(view, { refetchOnMountOrArgChange: 30 });
  const { title, empty } = TITLES[view];
  return (
    <section className="view-page" aria-labelledby="view-title">
      <h1 id="view-title">{title}</h1>
      {isLoading && <Loading />}
      <ErrorMessage>{errorMessage(error)}</ErrorMessage>
      {tasks && tasks.length === 0 && <p className="empty-hint">{empty}</p>}
      {tasks && tasks.length > 0 && <TaskRows tasks={tasks} />}
    </section>
  );
}

/** Tasks of several lists, each with its list's name; a click opens the task in its list. */
export function TaskRows({ tasks }: { tasks: Task[] }) {
  const { data: lists } = useGetListsQuery();
  const [updateTask] = useUpdateTaskMutation();
  const today = isoDate(new Date());
  const byId = new Map((lists ?? []).map((l) => [l.id, l]));
  return (
    <ul className="view-list">
      {tasks.map((task) => {
        const list = byId.get(task.listId);
        return (
          <li key={task.id} className={task.completed ? 'completed' : undefined}>
            <input
              type="checkbox"
              className="toggle"
              checked={task.completed}
              disabled={!canEdit(list?.role)}
              aria-label={`${task.title}: done`}
              onChange={() =>
                updateTask({ listId: task.listId, taskId: task.id, changes: { completed: !task.completed } })
              }
            />
            <Link className="view-title" to={`/lists/${encodeURIComponent(task.listId)}?task=${encodeURIComponent(task.id)}`}>
              {task.title}
            </Link>
            <span className="task-meta">
              <PriorityMarker priority={task.priority} />
              <DueChip due={task.due} completed={task.completed} today={today} />
              {list && <span className="list-chip">{list.name}</span>}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
