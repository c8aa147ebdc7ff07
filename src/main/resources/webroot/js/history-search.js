// Searches past commands in the engine's journal (GET /history?q=) from the Processes sheet; a
// click on a result puts its command back in the prompt, to run again or edit.
import { element, stateIconName, stateText } from './format.js';
import { icon } from './icons.js';

export class HistorySearch {
  static LIMIT = 20;

  constructor({ form, input, results }, { api, recall }) {
    this.input = input;
    this.results = results;
    this.api = api;
    this.recall = recall;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.search();
    });
  }

  async search() {
    const q = encodeURIComponent(this.input.value.trim());
    this.results.replaceChildren();
    try {
      const answer = await this.api.json('GET', `/history?q=${q}&limit=${HistorySearch.LIMIT}`);
      if (answer.items.length === 0) {
        this.results.append(element('li', 'history-note', 'Nothing found.'));
      }
      answer.items.forEach((record) => this.results.append(this.#item(record)));
    } catch (error) {
      this.results.append(element('li', 'history-note', error.message));
    }
  }

  #item(record) {
    const button = element('button', 'history-result');
    button.type = 'button';
    button.title = 'Put this command in the prompt';
    const stateIcon = element('span', 'state-icon');
    stateIcon.append(icon(stateIconName(record)));
    button.append(stateIcon, element('code', null, record.command),
      element('span', 'history-detail', `${stateText(record)} · ${new Date(record.createdAt).toLocaleString()}`));
    button.addEventListener('click', () => this.recall(record.command));
    const item = element('li');
    item.append(button);
    return item;
  }
}
