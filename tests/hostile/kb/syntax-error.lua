return {
  id = 'PT-0901',
  title = 
}
