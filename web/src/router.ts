import { useEffect, useState } from 'preact/hooks';

/** Hash routes (`#/secrets/<id>`): the same static files serve every page, locally and from S3. */
export function currentRoute(): string[] {
  const hash = location.hash.replace(/^#\/?/, '');
  const [path] = hash.split('?');
  return (path ?? '').split('/').filter(Boolean).map(decodeURIComponent);
}

export function routeQuery(): URLSearchParams {
  return new URLSearchParams(location.hash.split('?')[1] ?? '');
}

export function useRoute(): string[] {
  const [route, setRoute] = useState(currentRoute);
  useEffect(() => {
    const onChange = () => setRoute(currentRoute());
    addEventListener('hashchange', onChange);
    return () => removeEventListener('hashchange', onChange);
  }, []);
  return route;
}

export function href(...segments: string[]): string {
  return `#/${segments.map(encodeURIComponent).join('/')}`;
}

export function navigate(...segments: string[]): void {
  location.hash = href(...segments).slice(1);
}
