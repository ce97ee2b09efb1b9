/**
 * One shape per status, so status never rests on colour alone (colour-blind operators, a grey
 * projector, a printout): a tick in a disc (up), a triangle with "!" (degraded), a cross in an
 * octagon (down), a dashed ring with "?" (unknown), a cog (maintenance).
 */
import type { Status } from '../../../shared/domain/status';
import { missingCase } from '../../../shared/domain/missing-case';

function polygon(points: number, outer: number, inner: number, rotation: number): string {
  const coordinates: string[] = [];
  for (let i = 0; i < points * 2; i += 1) {
    const radius = i % 2 === 0 ? outer : inner;
    const angle = rotation + (Math.PI * i) / points;
    coordinates.push(
      `${(8 + radius * Math.cos(angle)).toFixed(2)},${(8 + radius * Math.sin(angle)).toFixed(2)}`,
    );
  }
  return coordinates.join(' ');
}

function regular(sides: number, radius: number, rotation: number): string {
  const coordinates: string[] = [];
  for (let i = 0; i < sides; i += 1) {
    const angle = rotation + (2 * Math.PI * i) / sides;
    coordinates.push(
      `${(8 + radius * Math.cos(angle)).toFixed(2)},${(8 + radius * Math.sin(angle)).toFixed(2)}`,
    );
  }
  return coordinates.join(' ');
}

const OCTAGON = regular(8, 7.6, Math.PI / 8);
/** A cog: 8 square-ish teeth (alternating radii with doubled points). */
const COG = polygon(16, 7.7, 5.6, 0);

function Shape({ status }: { status: Status }) {
  switch (status) {
    case 'up':
      return (
        <>
          <circle cx="8" cy="8" r="7.5" fill="currentColor" />
          <path
            d="M4.4 8.3 L7 10.8 L11.7 5.4"
            fill="none"
            stroke="var(--icon-ink)"
            strokeWidth="2"
            strokeLinecap="round"
            strokeLinejoin="round"
          />
        </>
      );
    case 'degraded':
      return (
        <>
          <path d="M8 0.8 L15.4 14.6 H0.6 Z" fill="currentColor" strokeLinejoin="round" />
          <path d="M8 5.4 V9.6" stroke="var(--icon-ink)" strokeWidth="2" strokeLinecap="round" />
          <circle cx="8" cy="12.2" r="1.1" fill="var(--icon-ink)" />
        </>
      );
    case 'down':
      return (
        <>
          <polygon points={OCTAGON} fill="currentColor" />
          <path
            d="M5.3 5.3 L10.7 10.7 M10.7 5.3 L5.3 10.7"
            stroke="var(--icon-ink)"
            strokeWidth="2.2"
            strokeLinecap="round"
          />
        </>
      );
    case 'unknown':
      return (
        <>
          <circle
            cx="8"
            cy="8"
            r="6.8"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.6"
            strokeDasharray="2.6 1.8"
          />
          <path
            d="M6 6.3 A2.1 2.1 0 1 1 8.9 8.2 C8.3 8.5 8 8.9 8 9.6 V10"
            fill="none"
            stroke="currentColor"
            strokeWidth="1.7"
            strokeLinecap="round"
          />
          <circle cx="8" cy="12.1" r="1" fill="currentColor" />
        </>
      );
    case 'maintenance':
      return (
        <>
          <polygon points={COG} fill="currentColor" strokeLinejoin="round" />
          <circle cx="8" cy="8" r="2.4" fill="var(--icon-ink)" />
        </>
      );
    default:
      throw missingCase(status);
  }
}

export function StatusIcon({ status, className }: { status: Status; className?: string }) {
  return (
    <svg
      className={`status-icon status-icon--${status}${className ? ` ${className}` : ''}`}
      viewBox="0 0 16 16"
      width="1em"
      height="1em"
      aria-hidden="true"
      focusable="false"
      data-icon={status}
    >
      <Shape status={status} />
    </svg>
  );
}
