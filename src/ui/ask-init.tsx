import { render } from "ink";
import type { InitAnswers, InitPromptProps } from "./init-prompt.js";
import { InitPrompt } from "./init-prompt.js";

/** Runs the init questions on the terminal; resolves undefined when the user cancels. */
export async function askInitAnswers(
  defaults: InitAnswers,
  checkProject: InitPromptProps["checkProject"],
): Promise<InitAnswers | undefined> {
  let answers: InitAnswers | undefined;
  const app = render(
    <InitPrompt
      defaults={defaults}
      checkProject={checkProject}
      onSubmit={(a) => {
        answers = a;
        app.unmount();
      }}
      onCancel={() => app.unmount()}
    />,
    { exitOnCtrlC: false },
  );
  await app.waitUntilExit();
  return answers;
}
