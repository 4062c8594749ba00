// `gongkai serve`: the web app (src/server) on loopback by default.
import type { Command } from 'commander';
import { createInterface } from 'node:readline';
import { buildApp } from '../server/app.js';
import { UserError } from '../server/users.js';
import { preloadPdfReader } from '../read/pdf-pages.js';

interface ServeOptions {
  db?: string;
  port: string;
  host: string;
  publicRead?: boolean;
  initAdmin?: string;
  maxUploadMb: string;
  secureCookie?: boolean;
}

/** Reads a password from the terminal without echoing it. */
function promptPassword(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!process.stdin.isTTY) return reject(new Error('no terminal to prompt on; set GONGKAI_ADMIN_PASSWORD / 没有终端可供输入，请设置 GONGKAI_ADMIN_PASSWORD'));
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const out = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
    let muted = false;
    out._writeToOutput = (s: string) => {
      if (!muted || s.includes('\n')) process.stderr.write(muted ? '\n' : s);
    };
    rl.question(question, (answer) => {
      rl.close();
      resolve(answer);
    });
    muted = true;
  });
}

const isLoopback = (h: string) => h === '127.0.0.1' || h === '::1' || h === 'localhost';

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('启动网页应用（默认只监听本机） / start the web app (loopback only by default)')
    .option('--db <file>', 'SQLite 数据库文件或 postgres:// URL（默认 ./gongkai.db；设置 DATABASE_URL 时使用 PostgreSQL） / SQLite file or postgres:// URL')
    .option('--port <n>', '端口 / port', '8080')
    .option('--host <host>', '监听地址 / listen address', '127.0.0.1')
    .option('--public-read', '无需登录即可浏览（写操作仍需登录） / reading needs no sign-in (writes still do)')
    .option('--init-admin <name>', '创建第一个管理员（密码取自 GONGKAI_ADMIN_PASSWORD 或提示输入） / create the first admin (password from GONGKAI_ADMIN_PASSWORD or prompted)')
    .option('--max-upload-mb <n>', '上传大小上限（MB） / upload size limit (MB)', '20')
    .option('--secure-cookie', '会话 Cookie 加 Secure（经 HTTPS 反向代理时） / mark the session cookie Secure (behind HTTPS)')
    .action(async (o: ServeOptions) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) {
        process.stderr.write(`端口无效 / invalid port: ${o.port}\n`);
        process.exitCode = 2;
        return;
      }
      const app = await buildApp({
        db: o.db,
        databaseUrl: process.env.DATABASE_URL,
        publicRead: !!o.publicRead,
        maxUploadBytes: Math.max(1, Number(o.maxUploadMb) || 20) * 1024 * 1024,
        secureCookie: !!o.secureCookie,
      });
      process.stderr.write(`数据库 / database: ${app.store.location}\n`);
      if (o.initAdmin) {
        const existing = (await app.users.list()).find((u) => u.name === o.initAdmin);
        if (existing) process.stderr.write(`用户 ${o.initAdmin} 已存在，跳过创建 / user ${o.initAdmin} exists, not created again\n`);
        else {
          try {
            const pw = process.env.GONGKAI_ADMIN_PASSWORD ?? (await promptPassword(`${o.initAdmin} 的密码 / password: `));
            await app.users.create(o.initAdmin, pw, 'admin');
            process.stderr.write(`已创建管理员 / admin created: ${o.initAdmin}\n`);
          } catch (e) {
            process.stderr.write(`${e instanceof UserError ? `${e.text.zh} / ${e.text.en}` : (e as Error).message}\n`);
            await app.close();
            process.exitCode = 2;
            return;
          }
        }
      }
      if (!isLoopback(o.host)) process.stderr.write('警告：正在监听非本机地址；请在 HTTPS 反向代理之后运行并加 --secure-cookie。\nwarning: listening beyond loopback; run behind an HTTPS reverse proxy with --secure-cookie.\n');
      const address = await app.listen({ port, host: o.host });
      const url = new URL(address);
      if (url.hostname === '0.0.0.0' || url.hostname === '[::]') url.hostname = '127.0.0.1';
      process.stdout.write(`Gongkai: ${url.href}\n`);
      // Off the request path: a failure here only means the first PDF upload loads it instead.
      void preloadPdfReader().catch(() => {});
      const stop = async () => {
        await app.close().catch(() => {});
        process.exit(0);
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      // Keep the command running until a signal: the CLI's own return must not exit the process.
      await new Promise<void>(() => {});
    });
}
