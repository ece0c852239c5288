import * as vscode from 'vscode';
import type { Severity } from '../core/expiry/severity';

// One look per severity, shared by decorations, the status bar and pickers.

export function severityColor(severity: Severity): vscode.ThemeColor | undefined {
  if (severity === 'expired' || severity === 'critical') return new vscode.ThemeColor('list.errorForeground');
  if (severity === 'warning') return new vscode.ThemeColor('list.warningForeground');
  if (severity === 'notYetValid') return new vscode.ThemeColor('disabledForeground');
  return undefined;
}

/** Badges are at most two characters. */
export function severityBadge(severity: Severity): string | undefined {
  switch (severity) {
    case 'expired':
      return '✕';
    case 'critical':
      return '!';
    case 'warning':
      return '⚠';
    case 'notYetValid':
      return '…';
    default:
      return undefined;
  }
}

export function severityIcon(severity: Severity): string {
  if (severity === 'expired' || severity === 'critical') return '$(error)';
  if (severity === 'warning') return '$(warning)';
  return '$(pass)';
}

export function diagnosticSeverity(level: 'error' | 'warning' | 'information'): vscode.DiagnosticSeverity {
  return level === 'error' ? vscode.DiagnosticSeverity.Error : level === 'warning' ? vscode.DiagnosticSeverity.Warning : vscode.DiagnosticSeverity.Information;
}
