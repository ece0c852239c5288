import type { Page } from 'playwright-core';

/** The workbench's browser-side storage (IndexedDB, localStorage, sessionStorage), as text; passed as source so no TS helper leaks in. */
export async function browserStorage(page: Page): Promise<{ where: string; text: string }[]> {
  return page.evaluate(`(async () => {
    const out = [];
    const asText = (v) => {
      if (typeof v === 'string') return v;
      if (v instanceof ArrayBuffer) return new TextDecoder().decode(v);
      if (ArrayBuffer.isView(v)) return new TextDecoder().decode(v);
      try { return JSON.stringify(v) ?? String(v); } catch { return String(v); }
    };
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i) ?? '';
      out.push({ where: 'localStorage:' + k, text: k + '=' + (localStorage.getItem(k) ?? '') });
    }
    for (let i = 0; i < sessionStorage.length; i++) {
      const k = sessionStorage.key(i) ?? '';
      out.push({ where: 'sessionStorage:' + k, text: k + '=' + (sessionStorage.getItem(k) ?? '') });
    }
    for (const info of await indexedDB.databases()) {
      if (!info.name) continue;
      const db = await new Promise((resolve, reject) => {
        const r = indexedDB.open(info.name);
        r.onsuccess = () => resolve(r.result);
        r.onerror = () => reject(r.error);
      });
      for (const store of Array.from(db.objectStoreNames)) {
        const entries = await new Promise((resolve, reject) => {
          const got = [];
          const cursor = db.transaction(store, 'readonly').objectStore(store).openCursor();
          cursor.onsuccess = () => {
            const c = cursor.result;
            if (!c) return resolve(got);
            got.push({ key: c.key, value: c.value });
            c.continue();
          };
          cursor.onerror = () => reject(cursor.error);
        });
        for (const e of entries) out.push({ where: 'indexedDB:' + info.name + '/' + store + '/' + asText(e.key), text: asText(e.key) + '=' + asText(e.value) });
      }
      db.close();
    }
    return out;
  })()`);
}
