import { useSearchParams } from 'react-router';
import { errorMessage } from '../../app/problem';
import { ErrorMessage } from '../../components/ErrorMessage';
import { Loading } from '../../components/Loading';
import { useSearchTasksQuery } from '../tasks/tasksApi';
import { TaskRows } from '../tasks/ViewPage';

/** Open tasks of every list the user can see whose text matches the query in the URL. */
export function SearchPage() {
  const [params] = useSearchParams();
  const q = (params.get('q') ?? '').trim();
  const { data: tasks, error, isFetching } = useSearchTasksQuery(q, { skip: !q });
  return (
    <section className="view-page" aria-labelledby="view-title">
      <h1 id="view-title">{q ? `Search: “${q}”` : 'Search'}</h1>
      {!q && <p className="empty-hint">Type in the search field above (or press /) to find open tasks in all your lists.</p>}
      {q && isFetching && !tasks && <Loading />}
      <ErrorMessage>{errorMessage(error)}</ErrorMessage>
      {q && tasks && tasks.length === 0 && <p className="empty-hint">No open task matches “{q}”.</p>}
      {q && tasks && tasks.length > 0 && (
        <>
          <p className="hint" role="status">
            {tasks.length === 1 ? '1 open task' : `${tasks.length} open tasks`}
          </p>
          <TaskRows tasks={tasks} />
        </>
      )}
    </section>
  );
}
